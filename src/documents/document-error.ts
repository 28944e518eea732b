/**
 * Why the documents library refused a request. `reason` is a stable contract for callers; the
 * message names the field and the rule, and never quotes document text.
 */
export type DocumentErrorReason = 'not_found' | 'too_large' | 'invalid';

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
  return new DocumentError('not_found', `id "${id}" names no document of yours`);
}
