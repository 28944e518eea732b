import type { AppContext } from '../context.ts';
import {
  type DocumentSettings,
  resolveDocumentSettings,
  type WriteOptions,
} from '../documents/index.ts';
import type { Caller } from './tool-result.ts';

/** What every tool module is built from: the app context and the documents' settings. */
export type ToolDeps = {
  ctx: AppContext;
  settings: DocumentSettings;
  /** Write options for one call, recording the caller's client id as the author. */
  writeOptions(caller: Caller): WriteOptions;
  trashOptions(): { now: number; retentionDays: number };
};

/**
 * Document settings come from the config (TRASH_RETENTION_DAYS, MAX_DOCUMENTS_PER_USER,
 * MAX_USER_BYTES, MAX_VERSIONS_PER_DOCUMENT, FETCH_MAX_CHARS, MAX_DOCUMENT_BYTES).
 */
export function createToolDeps(ctx: AppContext): ToolDeps {
  const settings = resolveDocumentSettings(ctx.config);
  return {
    ctx,
    settings,
    writeOptions: (caller) => ({
      now: ctx.now(),
      maxBytes: settings.maxDocumentBytes,
      actor: caller.clientId,
      limits: settings,
    }),
    trashOptions: () => ({ now: ctx.now(), retentionDays: settings.trashRetentionDays }),
  };
}
