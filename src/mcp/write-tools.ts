import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  appendToDocument,
  createDocument,
  DocumentError,
  type DocumentRecord,
  MAX_TITLE_LENGTH,
  replaceInDocument,
  trashDocument,
  updateDocument,
} from '../documents/index.ts';
import {
  baseVersionInput,
  describeDocument,
  documentIdInput,
  documentInfoShape,
  folderInput,
  measureText,
  tagsInput,
} from './document-shapes.ts';
import { WRITE_SCOPE } from './scopes.ts';
import type { ToolDeps } from './tool-deps.ts';
import { type Caller, runTool } from './tool-result.ts';

export const editing = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
} as const;

/** Writes log identifiers and sizes only: titles and text never reach a log line. */
export function registerWriteTools(server: McpServer, deps: ToolDeps): void {
  const { config, db, logger } = deps.ctx;
  const limits =
    `The title is one line of 1 to ${MAX_TITLE_LENGTH} characters; the body is plain text ` +
    `or Markdown of at most ${deps.settings.maxDocumentBytes} bytes (UTF-8).`;

  /** Runs a write and logs `document.written` with sizes, never with titles or text. */
  const write = (
    tool: string,
    action: string,
    authInfo: AuthInfo | undefined,
    work: (caller: Caller) => DocumentRecord,
  ) =>
    runTool({ logger, tool, scope: WRITE_SCOPE, authInfo }, (caller) => {
      const document = work(caller);
      logger.info('document.written', {
        user_id: caller.userId,
        client_id: caller.clientId,
        document_id: document.id,
        version: document.version,
        bytes: measureText(document.body),
        action,
      });
      return describeDocument(config.issuerUrl, document);
    });

  server.registerTool(
    'create_document',
    {
      title: 'Create a document',
      description: `Save a new document for the user and return its id and url. ${limits}`,
      inputSchema: {
        title: z.string().describe('A short, single-line title'),
        body: z.string().describe('The document text'),
        folder: folderInput.optional(),
        tags: tagsInput.optional(),
      },
      outputSchema: documentInfoShape,
      annotations: { title: 'Create a document', ...editing },
    },
    (input, extra) =>
      write('create_document', 'create', extra.authInfo, (caller) =>
        createDocument(db, caller.userId, input, deps.writeOptions(caller)),
      ),
  );

  server.registerTool(
    'update_document',
    {
      title: 'Update a document',
      description:
        "Change the title, text, folder or tags of one of the user's documents. A body " +
        'replaces the whole old text; to change a passage use replace_in_document, to add at ' +
        `the end append_to_document. The previous version is kept. ${limits}`,
      inputSchema: {
        id: documentIdInput,
        title: z.string().optional().describe('The new title; omit to keep the current one'),
        body: z.string().optional().describe('The new full text; omit to keep the current one'),
        folder: folderInput.optional(),
        tags: tagsInput.optional().describe('The new tags, replacing the old ones'),
        base_version: baseVersionInput,
      },
      outputSchema: documentInfoShape,
      annotations: { title: 'Update a document', ...editing, destructiveHint: true },
    },
    ({ id, base_version, ...fields }, extra) =>
      write('update_document', 'update', extra.authInfo, (caller) => {
        if (Object.values(fields).every((value) => value === undefined)) {
          throw new DocumentError(
            'invalid',
            'update_document needs title, body, folder or tags; nothing would change',
          );
        }
        const changes = { ...fields, baseVersion: base_version };
        return updateDocument(db, caller.userId, id, changes, deps.writeOptions(caller));
      }),
  );

  server.registerTool(
    'append_to_document',
    {
      title: 'Append to a document',
      description:
        'Add text at the end of a document, on a new line, without resending the rest. ' +
        'The previous version is kept.',
      inputSchema: {
        id: documentIdInput,
        text: z.string().min(1).describe('The text to add'),
        base_version: baseVersionInput,
      },
      outputSchema: documentInfoShape,
      annotations: { title: 'Append to a document', ...editing },
    },
    ({ id, text, base_version }, extra) =>
      write('append_to_document', 'append', extra.authInfo, (caller) =>
        appendToDocument(
          db,
          caller.userId,
          id,
          { text, baseVersion: base_version },
          deps.writeOptions(caller),
        ),
      ),
  );

  server.registerTool(
    'replace_in_document',
    {
      title: 'Replace a passage',
      description:
        'Replace one exact passage of a document with new text. old_text must occur exactly ' +
        'once (spaces and line breaks included); otherwise nothing changes and the error says ' +
        'how many times it occurs. The previous version is kept.',
      inputSchema: {
        id: documentIdInput,
        old_text: z.string().min(1).describe('The passage as it is now, copied exactly'),
        new_text: z.string().describe('What replaces it; "" removes the passage'),
        base_version: baseVersionInput,
      },
      outputSchema: documentInfoShape,
      annotations: { title: 'Replace a passage', ...editing, destructiveHint: true },
    },
    ({ id, old_text, new_text, base_version }, extra) =>
      write('replace_in_document', 'replace', extra.authInfo, (caller) =>
        replaceInDocument(
          db,
          caller.userId,
          id,
          { oldText: old_text, newText: new_text, baseVersion: base_version },
          deps.writeOptions(caller),
        ),
      ),
  );

  server.registerTool(
    'move_document',
    {
      title: 'Move a document',
      description:
        'Move a document to another folder (created as needed; "" is the top level), ' +
        'optionally renaming it.',
      inputSchema: {
        id: documentIdInput,
        folder: folderInput,
        title: z.string().optional().describe('A new title; omit to keep the current one'),
        base_version: baseVersionInput,
      },
      outputSchema: documentInfoShape,
      annotations: { title: 'Move a document', ...editing, idempotentHint: true },
    },
    ({ id, folder, title, base_version }, extra) =>
      write('move_document', 'move', extra.authInfo, (caller) =>
        updateDocument(
          db,
          caller.userId,
          id,
          { folder, title, baseVersion: base_version },
          deps.writeOptions(caller),
          'move',
        ),
      ),
  );

  server.registerTool(
    'delete_document',
    {
      title: 'Delete a document',
      description:
        "Move one of the user's documents to the trash. It stays there for " +
        `${deps.settings.trashRetentionDays} days, can be brought back with restore_document, ` +
        'and is then deleted for good.',
      inputSchema: { id: documentIdInput },
      outputSchema: {
        id: z.string(),
        deleted: z.literal(true),
        purge_at: z.string().describe('When it leaves the trash for good (ISO 8601)'),
      },
      annotations: {
        title: 'Delete a document',
        ...editing,
        destructiveHint: true,
        idempotentHint: true,
      },
    },
    ({ id }, extra) =>
      runTool(
        { logger, tool: 'delete_document', scope: WRITE_SCOPE, authInfo: extra.authInfo },
        (caller) => {
          const options = deps.trashOptions();
          const trashed = trashDocument(db, caller.userId, id, options);
          logger.info('document.deleted', {
            user_id: caller.userId,
            client_id: caller.clientId,
            document_id: trashed.id,
            bytes: measureText(trashed.body),
            to: 'trash',
          });
          const purgeAt = options.now + options.retentionDays * 24 * 60 * 60 * 1000;
          return {
            id: trashed.id,
            deleted: true as const,
            purge_at: new Date(purgeAt).toISOString(),
          };
        },
      ),
  );
}
