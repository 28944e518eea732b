import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  listTrash,
  MAX_LIST_LIMIT,
  purgeDocument,
  restoreDocument,
  restoreVersion,
} from '../documents/index.ts';
import {
  baseVersionInput,
  cursorInput,
  describeDocument,
  documentIdInput,
  documentInfoShape,
  measureText,
  toIso,
} from './document-shapes.ts';
import { readOnly } from './read-tools.ts';
import { READ_SCOPE, WRITE_SCOPE } from './scopes.ts';
import type { ToolDeps } from './tool-deps.ts';
import { runTool } from './tool-result.ts';
import { editing } from './write-tools.ts';

/** Bringing things back: old versions, the trash, and the one way to delete for good. */
export function registerRecoveryTools(server: McpServer, deps: ToolDeps): void {
  const { config, db, logger } = deps.ctx;

  server.registerTool(
    'restore_version',
    {
      title: 'Restore a version',
      description:
        'Bring back an earlier version of a document (title, text, folder and tags) as a new ' +
        'version; nothing is lost, the version it replaces stays in document_history.',
      inputSchema: {
        id: documentIdInput,
        version: z.number().int().min(1).describe('A version number from document_history'),
        base_version: baseVersionInput,
      },
      outputSchema: documentInfoShape,
      annotations: { title: 'Restore a version', ...editing },
    },
    ({ id, version, base_version }, extra) =>
      runTool(
        { logger, tool: 'restore_version', scope: WRITE_SCOPE, authInfo: extra.authInfo },
        (caller) => {
          const request = { version, baseVersion: base_version };
          const document = restoreVersion(
            db,
            caller.userId,
            id,
            request,
            deps.writeOptions(caller),
          );
          logger.info('document.written', {
            user_id: caller.userId,
            client_id: caller.clientId,
            document_id: document.id,
            version: document.version,
            bytes: measureText(document.body),
            action: 'restore_version',
          });
          return describeDocument(config.issuerUrl, document);
        },
      ),
  );

  server.registerTool(
    'list_trash',
    {
      title: 'List the trash',
      description:
        'List deleted documents, most recently deleted first, with when each will be deleted ' +
        `for good (${deps.settings.trashRetentionDays} days after deletion).`,
      inputSchema: {
        cursor: cursorInput,
        limit: z.number().int().min(1).max(MAX_LIST_LIMIT).optional().describe('Default 50'),
      },
      outputSchema: {
        documents: z.array(
          z.object({ ...documentInfoShape, deleted_at: z.string(), purge_at: z.string() }),
        ),
        next_cursor: z.string().nullable(),
      },
      annotations: { title: 'List the trash', ...readOnly },
    },
    ({ cursor, limit }, extra) =>
      runTool(
        { logger, tool: 'list_trash', scope: READ_SCOPE, authInfo: extra.authInfo },
        (caller) => {
          const page = listTrash(db, caller.userId, { ...deps.trashOptions(), cursor, limit });
          const documents = page.documents.map((entry) => ({
            ...describeDocument(config.issuerUrl, entry),
            deleted_at: toIso(entry.deletedAt),
            purge_at: toIso(entry.purgeAt),
          }));
          return { documents, next_cursor: page.nextCursor };
        },
      ),
  );

  server.registerTool(
    'restore_document',
    {
      title: 'Restore from the trash',
      description: 'Take a deleted document out of the trash, as it was when deleted.',
      inputSchema: { id: documentIdInput },
      outputSchema: documentInfoShape,
      annotations: { title: 'Restore from the trash', ...editing, idempotentHint: true },
    },
    ({ id }, extra) =>
      runTool(
        { logger, tool: 'restore_document', scope: WRITE_SCOPE, authInfo: extra.authInfo },
        (caller) => {
          const document = restoreDocument(db, caller.userId, id, deps.trashOptions());
          logger.info('document.restored', {
            user_id: caller.userId,
            client_id: caller.clientId,
            document_id: document.id,
          });
          return describeDocument(config.issuerUrl, document);
        },
      ),
  );

  server.registerTool(
    'purge_document',
    {
      title: 'Delete a document for good',
      description:
        'Permanently delete a document that is already in the trash, with all its versions. ' +
        'This cannot be undone: only do it when the user asked for it. To confirm, repeat ' +
        'the document title exactly, as list_trash shows it, in confirm_title.',
      inputSchema: {
        id: documentIdInput,
        confirm_title: z.string().max(300).describe('The exact title of the document'),
      },
      outputSchema: { id: z.string(), purged: z.literal(true) },
      annotations: {
        title: 'Delete a document for good',
        ...editing,
        destructiveHint: true,
        idempotentHint: true,
      },
    },
    ({ id, confirm_title }, extra) =>
      runTool(
        { logger, tool: 'purge_document', scope: WRITE_SCOPE, authInfo: extra.authInfo },
        (caller) => {
          purgeDocument(db, caller.userId, id, confirm_title, deps.trashOptions());
          logger.info('document.purged', {
            user_id: caller.userId,
            client_id: caller.clientId,
            document_id: id,
          });
          return { id, purged: true as const };
        },
      ),
  );
}
