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

export const MAX_FOLDER_LENGTH = 500;
export const MAX_FOLDER_DEPTH = 20;
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 50;

/**
 * Returns the folder path normalised (`/a//b/` becomes `a/b`; '' is the top level), or throws
 * naming the rule. `.` and `..` are refused so a path always means one folder, also on export.
 */
export function checkFolder(folder: string): string {
  const segments = folder
    .split('/')
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '');
  const path = segments.join('/');
  if (path.length > MAX_FOLDER_LENGTH) {
    throw new DocumentError(
      'invalid',
      `folder is ${path.length} characters; the limit is ${MAX_FOLDER_LENGTH}`,
    );
  }
  if (segments.length > MAX_FOLDER_DEPTH) {
    throw new DocumentError('invalid', `folder must be at most ${MAX_FOLDER_DEPTH} levels deep`);
  }
  for (const segment of segments) {
    if (segment === '.' || segment === '..') {
      throw new DocumentError('invalid', 'folder must not contain "." or ".." segments');
    }
    if (controlCharacters.test(segment) || segment.includes('\\')) {
      throw new DocumentError(
        'invalid',
        'folder must not contain control characters or backslashes; separate levels with "/"',
      );
    }
  }
  return path;
}

/** Returns the tags trimmed, without duplicates (case-insensitive), in the order given. */
export function checkTags(tags: readonly string[]): string[] {
  const kept = new Map<string, string>();
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag === '') throw new DocumentError('invalid', 'tags must not be empty strings');
    if (tag.length > MAX_TAG_LENGTH) {
      throw new DocumentError(
        'invalid',
        `tag is ${tag.length} characters; the limit is ${MAX_TAG_LENGTH}`,
      );
    }
    if (controlCharacters.test(tag)) {
      throw new DocumentError('invalid', 'tags must not contain control characters');
    }
    if (!kept.has(tag.toLowerCase())) kept.set(tag.toLowerCase(), tag);
  }
  if (kept.size > MAX_TAGS) {
    throw new DocumentError('invalid', `a document has at most ${MAX_TAGS} tags, got ${kept.size}`);
  }
  return [...kept.values()];
}
