import { DocumentError } from './document-error.ts';

/**
 * A list cursor names the last document of a page by its public id and updatedAt. The internal
 * row number that breaks ties stays in the database: it would reveal how many documents the
 * server holds.
 */
export type ListPosition = { updatedAt: number; id: string };

export function encodeCursor(position: ListPosition): string {
  return Buffer.from(`${position.updatedAt}.${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): ListPosition {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,16})\.([A-Za-z0-9_-]{1,64})$/.exec(text);
  if (!match?.[1] || !match[2]) {
    throw new DocumentError(
      'invalid',
      'cursor must be the next_cursor of an earlier page, passed back unchanged',
    );
  }
  return { updatedAt: Number(match[1]), id: match[2] };
}
