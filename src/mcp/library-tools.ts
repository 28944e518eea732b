import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  findDocument,
  findVersion,
  listHeadings,
  listHistory,
  listSubfolders,
  MAX_HISTORY_LIMIT,
  MAX_PIECE_LENGTH,
  MAX_SEARCH_LIMIT,
  notFound,
  parseDateFilter,
  readRange,
  readSection,
  searchDocumentPage,
} from '../documents/index.ts';
import {
  buildDocumentUrl,
  cursorInput,
  documentIdInput,
  folderInput,
  toIso,
} from './document-shapes.ts';
import { readOnly } from './read-tools.ts';
import { READ_SCOPE } from './scopes.ts';
import type { ToolDeps } from './tool-deps.ts';
import { runTool } from './tool-result.ts';

/** Read tools beyond ChatGPT's two: rich search, reading in pieces, folders and history. */
export function registerLibraryTools(server: McpServer, deps: ToolDeps): void {
  const { config, db, logger } = deps.ctx;
  const run = <T extends Record<string, unknown>>(
    tool: string,
    authInfo: Parameters<typeof runTool>[0]['authInfo'],
    work: Parameters<typeof runTool<T>>[1],
  ) => runTool({ logger, tool, scope: READ_SCOPE, authInfo }, work);

  server.registerTool(
    'search_documents',
    {
      title: 'Search documents with snippets and filters',
      description:
        'Full-text search with ranked results (titles count most), a snippet per hit with ' +
        'matches marked **like this**, filters by folder, tag and update date, and pages. ' +
        'Query syntax: "exact phrase", prefix*, accents and case ignored.',
      inputSchema: {
        query: z.string().max(1000).describe('Words to look for'),
        folder: folderInput.optional().describe('Only this folder and its subfolders'),
        tag: z.string().max(50).optional(),
        updated_after: z.string().max(40).optional().describe('ISO 8601 date, inclusive'),
        updated_before: z.string().max(40).optional().describe('ISO 8601 date, inclusive'),
        limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).optional().describe('Default 10'),
        cursor: cursorInput,
      },
      outputSchema: {
        results: z.array(
          z.object({
            id: z.string(),
            title: z.string(),
            url: z.string(),
            folder: z.string(),
            tags: z.array(z.string()),
            updated_at: z.string(),
            snippet: z.string(),
          }),
        ),
        next_cursor: z.string().nullable(),
      },
      annotations: { title: 'Search documents with snippets', ...readOnly },
    },
    (input, extra) =>
      run('search_documents', extra.authInfo, (caller) => {
        const page = searchDocumentPage(db, caller.userId, input.query, {
          folder: input.folder,
          recursive: true,
          tag: input.tag,
          updatedAfter: parseDateFilter('updated_after', input.updated_after),
          updatedBefore: parseDateFilter('updated_before', input.updated_before),
          limit: input.limit,
          cursor: input.cursor,
        });
        const results = page.hits.map((hit) => ({
          id: hit.id,
          title: hit.title,
          url: buildDocumentUrl(config.issuerUrl, hit.id),
          folder: hit.folder,
          tags: hit.tags,
          updated_at: toIso(hit.updatedAt),
          snippet: hit.snippet,
        }));
        return { results, next_cursor: page.nextCursor };
      }),
  );

  server.registerTool(
    'read_document',
    {
      title: 'Read part of a document',
      description:
        'Read a long document in pieces: from a character offset, or the section under one ' +
        'Markdown heading. Reports total_length and next_offset (null at the end); the ' +
        'outline lists the headings with their offsets. Pieces are at most ' +
        `${MAX_PIECE_LENGTH.toLocaleString('en-US')} characters (default 20,000).`,
      inputSchema: {
        id: documentIdInput,
        offset: z.number().int().min(0).optional().describe('Start, in characters; default 0'),
        length: z.number().int().min(1).max(MAX_PIECE_LENGTH).optional(),
        heading: z.string().max(300).optional().describe('Text of a heading, e.g. "Budget"'),
      },
      outputSchema: {
        id: z.string(),
        title: z.string(),
        version: z.number().int(),
        text: z.string(),
        offset: z.number().int(),
        next_offset: z.number().int().nullable(),
        total_length: z.number().int(),
        outline: z.array(
          z.object({ level: z.number().int(), text: z.string(), offset: z.number() }),
        ),
      },
      annotations: { title: 'Read part of a document', ...readOnly },
    },
    (input, extra) =>
      run('read_document', extra.authInfo, (caller) => {
        const document = findDocument(db, caller.userId, input.id);
        if (!document) throw notFound(input.id);
        const piece =
          input.heading === undefined
            ? readRange(document.body, input.offset, input.length)
            : readSection(document.body, input.heading, input.length);
        return {
          id: document.id,
          title: document.title,
          version: document.version,
          text: piece.text,
          offset: piece.offset,
          next_offset: piece.nextOffset,
          total_length: piece.totalLength,
          outline: listHeadings(document.body).slice(0, 200),
        };
      }),
  );

  server.registerTool(
    'list_folders',
    {
      title: 'List folders',
      description:
        'List the folders directly inside a folder (the top level when omitted), each with ' +
        'how many documents it holds including its subfolders.',
      inputSchema: { folder: folderInput.optional() },
      outputSchema: {
        folder: z.string(),
        subfolders: z.array(z.object({ path: z.string(), documents: z.number().int() })),
      },
      annotations: { title: 'List folders', ...readOnly },
    },
    ({ folder }, extra) =>
      run('list_folders', extra.authInfo, (caller) => ({
        folder: folder ?? '',
        subfolders: listSubfolders(db, caller.userId, folder ?? ''),
      })),
  );

  server.registerTool(
    'document_history',
    {
      title: 'Document history',
      description:
        "List a document's kept versions, newest (current) first: who changed it (the " +
        'client id, or cli or web), when, what and how large. With version, also returns ' +
        "that version's text. Bring one back with restore_version.",
      inputSchema: {
        id: documentIdInput,
        version: z.number().int().min(1).optional().describe('A version to read in full'),
        limit: z.number().int().min(1).max(MAX_HISTORY_LIMIT).optional().describe('Default 20'),
        cursor: cursorInput,
      },
      outputSchema: {
        id: z.string(),
        versions: z.array(
          z.object({
            version: z.number().int(),
            title: z.string(),
            folder: z.string(),
            tags: z.array(z.string()),
            size: z.number().int(),
            action: z.string(),
            changed_by: z.string(),
            changed_at: z.string(),
          }),
        ),
        text: z.string().optional().describe('The text of the version asked for'),
        next_cursor: z.string().nullable(),
      },
      annotations: { title: 'Document history', ...readOnly },
    },
    (input, extra) =>
      run('document_history', extra.authInfo, (caller) => {
        const page = listHistory(db, caller.userId, input.id, input);
        const versions = page.versions.map((entry) => ({
          version: entry.version,
          title: entry.title,
          folder: entry.folder,
          tags: entry.tags,
          size: entry.size,
          action: entry.action,
          changed_by: entry.changedBy,
          changed_at: toIso(entry.changedAt),
        }));
        const old =
          input.version === undefined
            ? undefined
            : findVersion(db, caller.userId, input.id, input.version);
        const text = old?.body;
        return {
          id: input.id,
          versions,
          ...(text === undefined ? {} : { text }),
          next_cursor: page.nextCursor,
        };
      }),
  );
}
