import type { Db } from '../storage/database.ts';
import { DocumentError } from './document-error.ts';
import { changeDocument, type DocumentRecord, type WriteOptions } from './documents.ts';

/**
 * Edits that need only the changed part of a document, so an assistant never resends a long
 * text to change one line. Both honour base_version like a whole-body update.
 */

/** Adds `text` at the end, on a new line unless the body is empty or already ends with one. */
export function appendToDocument(
  db: Db,
  userId: string,
  id: string,
  request: { text: string; baseVersion?: number },
  options: WriteOptions,
): DocumentRecord {
  if (request.text === '') throw new DocumentError('invalid', 'text must not be empty');
  return changeDocument(
    db,
    userId,
    id,
    { baseVersion: request.baseVersion, action: 'append' },
    options,
    (current) => {
      const joiner = current.body === '' || current.body.endsWith('\n') ? '' : '\n';
      return { body: `${current.body}${joiner}${request.text}` };
    },
  );
}

/** Replaces the one passage equal to `oldText`; refuses unless it occurs exactly once. */
export function replaceInDocument(
  db: Db,
  userId: string,
  id: string,
  request: { oldText: string; newText: string; baseVersion?: number },
  options: WriteOptions,
): DocumentRecord {
  if (request.oldText === '') throw new DocumentError('invalid', 'old_text must not be empty');
  return changeDocument(
    db,
    userId,
    id,
    { baseVersion: request.baseVersion, action: 'replace' },
    options,
    (current) => ({ body: replaceOnce(current.body, request.oldText, request.newText) }),
  );
}

/** Pure: the body with its single occurrence of `oldText` replaced. */
export function replaceOnce(body: string, oldText: string, newText: string): string {
  const occurrences = countOccurrences(body, oldText);
  if (occurrences === 0) {
    throw new DocumentError(
      'invalid',
      'old_text occurs 0 times in the document; it must occur exactly once. Copy it exactly, ' +
        'with its spaces and line breaks, from fetch or read_document',
    );
  }
  if (occurrences > 1) {
    throw new DocumentError(
      'not_unique',
      `old_text occurs ${occurrences} times in the document; it must occur exactly once. ` +
        'Include more of the surrounding text so it matches only the passage to change',
    );
  }
  const at = body.indexOf(oldText);
  return body.slice(0, at) + newText + body.slice(at + oldText.length);
}

/** Overlapping matches count: "aa" occurs twice in "aaa", so neither would be a safe pick. */
export function countOccurrences(text: string, passage: string): number {
  let found = 0;
  for (let at = text.indexOf(passage); at !== -1; at = text.indexOf(passage, at + 1)) found += 1;
  return found;
}
