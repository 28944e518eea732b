import { DocumentError } from './document-error.ts';

/** Pure checks on what a caller wants stored; they import neither HTTP nor database code. */

export const MAX_TITLE_LENGTH = 300;

// C0 and C1 control characters, DEL included; titles are single-line labels.
const controlCharacters = /\p{Cc}/u;

/** Returns the title trimmed, or throws naming the rule it breaks. */
export function checkTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed.length === 0) {
    throw new DocumentError('invalid', 'title must not be empty or only whitespace');
  }
  if (trimmed.length > MAX_TITLE_LENGTH) {
    throw new DocumentError(
      'invalid',
      `title is ${trimmed.length} characters; the limit is ${MAX_TITLE_LENGTH}`,
    );
  }
  if (controlCharacters.test(trimmed)) {
    throw new DocumentError('invalid', 'title must not contain control characters or line breaks');
  }
  return trimmed;
}

/** The body is stored as given; only its UTF-8 size is bounded. Returns that size in bytes. */
export function checkBody(body: string, maxBytes: number): number {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > maxBytes) {
    throw new DocumentError(
      'too_large',
      `body is ${formatCount(bytes)} bytes; the limit is ${formatCount(maxBytes)} bytes ` +
        '(MAX_DOCUMENT_BYTES)',
    );
  }
  return bytes;
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
