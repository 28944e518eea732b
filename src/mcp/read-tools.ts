import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  findDocument,
  listDocuments,
  listSubfolders,
  MAX_LIST_LIMIT,
  notFound,
  parseDateFilter,
  searchDocuments,
} from '../documents/index.ts';
import {
  buildDocumentUrl,
  cursorInput,
  describeDocument,
  documentIdInput,
  documentInfoShape,
  folderInput,
  measureText,
  toIso,
} from './document-shapes.ts';
import { READ_SCOPE } from './scopes.ts';
import type { ToolDeps } from './tool-deps.ts';
import { runTool } from './tool-result.ts';

export const readOnly = { readOnlyHint: true, openWorldHint: false } as const;

/**
 * search and fetch keep exactly the shapes ChatGPT's deep research and company knowledge
 * require: one text item holding `{"results":[{id,title,url}]}` and `{id,title,text,url,
 * metadata}` respectively. fetch stops at a documented cap and says so in metadata.
 */
export function registerReadTools(server: McpServer, deps: ToolDeps): void {
  const { ctx, settings } = deps;
  const { config, db, logger } = ctx;

  server.registerTool(
    'search',
    {
      title: 'Search documents',
      description:
        "Search the user's Folio documents by words in their titles and text; titles count " +
        'most. Returns up to 10 matches, best first, as {"results":[{"id","title","url"}]}. ' +
        'Put "exact phrases" in double quotes; end a word with * to match words starting ' +
        'with it. Read a result in full with fetch. For snippets, filters and more pages, ' +
        'use search_documents.',
      inputSchema: {
        query: z.string().max(1000).describe('Words to look for, e.g. budget "team offsite" plan*'),
      },
      outputSchema: {
        results: z.array(z.object({ id: z.string(), title: z.string(), url: z.string() })),
      },
      annotations: { title: 'Search documents', ...readOnly },
    },
    ({ query }, extra) =>
      runTool({ logger, tool: 'search', scope: READ_SCOPE, authInfo: extra.authInfo }, (caller) => {
        const hits = searchDocuments(db, caller.userId, query);
        const results = hits.map((hit) => ({
          id: hit.id,
          title: hit.title,
          url: buildDocumentUrl(config.issuerUrl, hit.id),
        }));
        return { results };
      }),
  );

  server.registerTool(
    'fetch',
    {
      title: 'Fetch a document',
      description:
        "Read one of the user's documents by the id that search or list_documents returned. " +
        'Returns {"id","title","text","url","metadata"}. The text stops after ' +
        `${settings.fetchMaxChars.toLocaleString('en-US')} characters; metadata.truncated ` +
        'says when it did, and read_document reads the rest in pieces.',
      inputSchema: { id: documentIdInput },
      outputSchema: {
        id: z.string(),
        title: z.string(),
        text: z.string().describe('The document text, whole unless metadata.truncated'),
        url: z.string(),
        metadata: z.object({
          created_at: z.string(),
          updated_at: z.string(),
          size: z.number().int(),
          folder: z.string(),
          tags: z.array(z.string()),
          version: z.number().int(),
          total_length: z.number().int().describe('Length of the whole text in characters'),
          truncated: z.boolean(),
        }),
      },
      annotations: { title: 'Fetch a document', ...readOnly },
    },
    ({ id }, extra) =>
      runTool({ logger, tool: 'fetch', scope: READ_SCOPE, authInfo: extra.authInfo }, (caller) => {
        const document = findDocument(db, caller.userId, id);
        if (!document) throw notFound(id);

        const truncated = document.body.length > settings.fetchMaxChars;
        return {
          id: document.id,
          title: document.title,
          text: truncated ? document.body.slice(0, settings.fetchMaxChars) : document.body,
          url: buildDocumentUrl(config.issuerUrl, document.id),
          metadata: {
            created_at: toIso(document.createdAt),
            updated_at: toIso(document.updatedAt),
            size: measureText(document.body),
            folder: document.folder,
            tags: document.tags,
            version: document.version,
            total_length: document.body.length,
            truncated,
          },
        };
      }),
  );

  server.registerTool(
    'list_documents',
    {
      title: 'List documents',
      description:
        "List the user's documents, most recently updated first, without their text. With " +
        'folder, lists that folder and names its subfolders. Filter by tag and update date. ' +
        'When next_cursor is not null, pass it back as cursor to get the next page.',
      inputSchema: {
        cursor: cursorInput,
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_LIST_LIMIT)
          .optional()
          .describe('Documents per page; 50 when omitted'),
        folder: folderInput.optional(),
        recursive: z.boolean().optional().describe('With folder: include all its subfolders'),
        tag: z.string().max(50).optional().describe('Only documents with this tag'),
        updated_after: z.string().max(40).optional().describe('ISO 8601 date, inclusive'),
        updated_before: z.string().max(40).optional().describe('ISO 8601 date, inclusive'),
      },
      outputSchema: {
        documents: z.array(z.object(documentInfoShape)),
        subfolders: z
          .array(z.object({ path: z.string(), documents: z.number().int() }))
          .describe('Folders directly inside folder (or the top level), with document counts'),
        next_cursor: z.string().nullable(),
      },
      annotations: { title: 'List documents', ...readOnly },
    },
    (input, extra) =>
      runTool(
        { logger, tool: 'list_documents', scope: READ_SCOPE, authInfo: extra.authInfo },
        (caller) => {
          const page = listDocuments(db, caller.userId, {
            cursor: input.cursor,
            limit: input.limit,
            folder: input.folder,
            recursive: input.recursive,
            tag: input.tag,
            updatedAfter: parseDateFilter('updated_after', input.updated_after),
            updatedBefore: parseDateFilter('updated_before', input.updated_before),
          });
          return {
            documents: page.documents.map((entry) => describeDocument(config.issuerUrl, entry)),
            subfolders: listSubfolders(db, caller.userId, input.folder ?? ''),
            next_cursor: page.nextCursor,
          };
        },
      ),
  );
}
