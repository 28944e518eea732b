import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import {
  createDocument,
  DocumentError,
  deleteDocument,
  MAX_TITLE_LENGTH,
  updateDocument,
} from '../documents/index.ts';
import {
  describeDocument,
  documentIdInput,
  documentInfoShape,
  measureText,
} from './document-shapes.ts';
import { WRITE_SCOPE } from './scopes.ts';
import { runTool } from './tool-result.ts';

/** Writes log identifiers and sizes only: titles and text never reach a log line. */
export function registerWriteTools(server: McpServer, ctx: AppContext): void {
  const { config, db, logger } = ctx;
  const limits =
    `The title is one line of 1 to ${MAX_TITLE_LENGTH} characters; the body is plain text ` +
    `or Markdown of at most ${config.maxDocumentBytes} bytes (UTF-8).`;
  const writeOptions = () => ({ maxBytes: config.maxDocumentBytes, now: ctx.now() });

  server.registerTool(
    'create_document',
    {
      title: 'Create a document',
      description: `Save a new document for the user and return its id and url. ${limits}`,
      inputSchema: {
        title: z.string().describe('A short, single-line title'),
        body: z.string().describe('The document text'),
      },
      outputSchema: documentInfoShape,
      annotations: {
        title: 'Create a document',
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    ({ title, body }, extra) =>
      runTool(
        { logger, tool: 'create_document', scope: WRITE_SCOPE, authInfo: extra.authInfo },
        (caller) => {
          const document = createDocument(db, caller.userId, { title, body }, writeOptions());
          logger.info('document.written', {
            user_id: caller.userId,
            client_id: caller.clientId,
            document_id: document.id,
            bytes: measureText(document.body),
            action: 'create',
          });
          return describeDocument(config.issuerUrl, document);
        },
      ),
  );

  server.registerTool(
    'update_document',
    {
      title: 'Update a document',
      description:
        "Change the title, the text, or both, of one of the user's documents. A body replaces " +
        `the whole old text, so fetch first and send the complete new text. ${limits}`,
      inputSchema: {
        id: documentIdInput,
        title: z.string().optional().describe('The new title; omit to keep the current one'),
        body: z.string().optional().describe('The new full text; omit to keep the current one'),
      },
      outputSchema: documentInfoShape,
      annotations: {
        title: 'Update a document',
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    ({ id, title, body }, extra) =>
      runTool(
        { logger, tool: 'update_document', scope: WRITE_SCOPE, authInfo: extra.authInfo },
        (caller) => {
          if (title === undefined && body === undefined) {
            throw new DocumentError('invalid', 'update_document needs title, body or both');
          }
          const document = updateDocument(db, caller.userId, id, { title, body }, writeOptions());
          logger.info('document.written', {
            user_id: caller.userId,
            client_id: caller.clientId,
            document_id: document.id,
            bytes: measureText(document.body),
            action: 'update',
          });
          return describeDocument(config.issuerUrl, document);
        },
      ),
  );

  server.registerTool(
    'delete_document',
    {
      title: 'Delete a document',
      description:
        "Permanently delete one of the user's documents. This cannot be undone; confirm with " +
        'the user first.',
      inputSchema: { id: documentIdInput },
      outputSchema: { id: z.string(), deleted: z.literal(true) },
      annotations: {
        title: 'Delete a document',
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    ({ id }, extra) =>
      runTool(
        { logger, tool: 'delete_document', scope: WRITE_SCOPE, authInfo: extra.authInfo },
        (caller) => {
          const deleted = deleteDocument(db, caller.userId, id);
          logger.info('document.deleted', {
            user_id: caller.userId,
            client_id: caller.clientId,
            document_id: deleted.id,
            bytes: measureText(deleted.body),
          });
          return { id: deleted.id, deleted: true as const };
        },
      ),
  );
}
