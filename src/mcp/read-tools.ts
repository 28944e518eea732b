import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { notFound } from '../documents/document-error.ts';
import {
  findDocument,
  listDocuments,
  MAX_LIST_LIMIT,
  searchDocuments,
} from '../documents/index.ts';
import {
  buildDocumentUrl,
  describeDocument,
  documentIdInput,
  documentInfoShape,
  measureText,
} from './document-shapes.ts';
import { READ_SCOPE } from './scopes.ts';
import { runTool } from './tool-result.ts';

const readOnly = { readOnlyHint: true, openWorldHint: false } as const;

/**
 * search and fetch keep exactly the shapes ChatGPT's deep research and company knowledge
 * require: one text item holding `{"results":[{id,title,url}]}` and `{id,title,text,url,
 * metadata}` respectively.
 */
export function registerReadTools(server: McpServer, ctx: AppContext): void {
  const { config, db, logger } = ctx;

  server.registerTool(
    'search',
    {
      title: 'Search documents',
      description:
        "Search the user's Folio documents by words in their titles and text; titles count " +
        'most. Returns up to 10 matches, best first, as {"results":[{"id","title","url"}]}. ' +
        'Put "exact phrases" in double quotes; end a word with * to match words starting ' +
        'with it. Read a result in full with fetch.',
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
        "Read one of the user's documents in full by the id that search or list_documents " +
        'returned. Returns {"id","title","text","url","metadata"}.',
      inputSchema: { id: documentIdInput },
      outputSchema: {
        id: z.string(),
        title: z.string(),
        text: z.string().describe('The whole document text'),
        url: z.string(),
        metadata: z.object({
          created_at: z.string(),
          updated_at: z.string(),
          size: z.number().int(),
        }),
      },
      annotations: { title: 'Fetch a document', ...readOnly },
    },
    ({ id }, extra) =>
      runTool({ logger, tool: 'fetch', scope: READ_SCOPE, authInfo: extra.authInfo }, (caller) => {
        const document = findDocument(db, caller.userId, id);
        if (!document) throw notFound(id);

        return {
          id: document.id,
          title: document.title,
          text: document.body,
          url: buildDocumentUrl(config.issuerUrl, document.id),
          metadata: {
            created_at: new Date(document.createdAt).toISOString(),
            updated_at: new Date(document.updatedAt).toISOString(),
            size: measureText(document.body),
          },
        };
      }),
  );

  server.registerTool(
    'list_documents',
    {
      title: 'List documents',
      description:
        "List the user's documents, most recently updated first, without their text. When " +
        'next_cursor is not null, pass it back as cursor to get the next page.',
      inputSchema: {
        cursor: z.string().max(200).optional().describe('next_cursor from the previous page'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_LIST_LIMIT)
          .optional()
          .describe('Documents per page; 50 when omitted'),
      },
      outputSchema: {
        documents: z.array(z.object(documentInfoShape)),
        next_cursor: z.string().nullable(),
      },
      annotations: { title: 'List documents', ...readOnly },
    },
    ({ cursor, limit }, extra) =>
      runTool(
        { logger, tool: 'list_documents', scope: READ_SCOPE, authInfo: extra.authInfo },
        (caller) => {
          const page = listDocuments(db, caller.userId, { cursor, limit });
          return {
            documents: page.documents.map((entry) => describeDocument(config.issuerUrl, entry)),
            next_cursor: page.nextCursor,
          };
        },
      ),
  );
}
