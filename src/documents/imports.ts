import { and, eq, or } from 'drizzle-orm';
import type { Db } from '../storage/database.ts';
import { documents } from '../storage/schema.ts';
import { checkFolder, checkTags, checkTitle } from './document-rules.ts';
import { createDocument, updateDocument, type WriteOptions } from './documents.ts';

/**
 * Imports are idempotent: each imported document remembers where it came from (`originId`:
 * the id in a Folio export's front matter, or the file's path), so importing the same export
 * or folder again updates documents in place instead of duplicating them.
 */

export type ImportInput = {
  title: string;
  body: string;
  folder: string;
  tags: string[];
  originId: string;
  /** The id to keep when it is free: a Folio export's own id. */
  preferredId?: string;
  createdAt?: number;
  updatedAt?: number;
};

export type ImportOutcome = 'created' | 'updated' | 'unchanged' | 'in_trash';

export function importDocument(
  db: Db,
  userId: string,
  input: ImportInput,
  options: WriteOptions,
): { outcome: ImportOutcome; id: string } {
  const sameSource = input.preferredId
    ? or(eq(documents.id, input.preferredId), eq(documents.originId, input.originId))
    : eq(documents.originId, input.originId);
  const existing = db
    .select({
      id: documents.id,
      title: documents.title,
      body: documents.body,
      folder: documents.folder,
      tags: documents.tags,
      deletedAt: documents.deletedAt,
    })
    .from(documents)
    .where(and(eq(documents.userId, userId), sameSource))
    .get();

  if (!existing) {
    const created = createDocument(db, userId, input, options, {
      id: input.preferredId,
      originId: input.originId,
      createdAt: input.createdAt,
      updatedAt: input.updatedAt,
    });
    return { outcome: 'created', id: created.id };
  }
  if (existing.deletedAt !== null) return { outcome: 'in_trash', id: existing.id };

  const fields = {
    title: checkTitle(input.title),
    body: input.body,
    folder: checkFolder(input.folder),
    tags: checkTags(input.tags),
  };
  const unchanged =
    fields.title === existing.title &&
    fields.body === existing.body &&
    fields.folder === existing.folder &&
    JSON.stringify(fields.tags) === JSON.stringify(existing.tags);
  if (unchanged) return { outcome: 'unchanged', id: existing.id };

  updateDocument(db, userId, existing.id, fields, options, 'import');
  return { outcome: 'updated', id: existing.id };
}
