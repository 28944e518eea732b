/**
 * Why the documents library refused a request. `reason` is a stable contract for callers; the
 * message names the field and the rule, and never quotes document text.
 */
export type DocumentErrorReason =
  | 'not_found'
  | 'too_large'
  | 'invalid'
  | 'conflict'
  | 'limit_reached'
  | 'not_unique';

export class DocumentError extends Error {
  override name = 'DocumentError';

  constructor(
    readonly reason: DocumentErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** The one message for a missing document, so another user's id reads exactly like a bad one. */
export function notFound(id: string): DocumentError {
  return new DocumentError(
    'not_found',
    `id "${id}" names no document of yours (deleted documents are listed by list_trash)`,
  );
}

/** Optimistic concurrency: the caller edited a version that is no longer the current one. */
export function versionConflict(id: string, baseVersion: number, current: number): DocumentError {
  return new DocumentError(
    'conflict',
    `base_version ${baseVersion} is not the current version of document "${id}", which is ` +
      `${current}: it changed since you read it. Read it again, redo your change on version ` +
      `${current} and send base_version ${current}`,
  );
}
