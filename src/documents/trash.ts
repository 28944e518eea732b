import { and, desc, eq, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Db } from '../storage/database.ts';
import { documents } from '../storage/schema.ts';
import { publishChange } from './change-feed.ts';
import { DocumentError, notFound } from './document-error.ts';
import { type DocumentRecord, recordColumns } from './documents.ts';
import { encodeCursor } from './list-cursor.ts';
import {
  buildPagePosition,
  checkLimit,
  DEFAULT_LIST_LIMIT,
  MAX_LIST_LIMIT,
  summaryColumns,
} from './listing.ts';
import { DAY_MS } from './settings.ts';

/**
 * Deleting moves a document to the trash; it is purged for good once it has been there longer
 * than the retention period, or earlier by purgeDocument. Expired documents are purged lazily,
 * whenever their owner touches the trash, and by purgeExpiredTrash for a periodic sweep.
 */

export type TrashOptions = { now: number; retentionDays: number };

export type TrashEntry = Omit<DocumentRecord, 'body'> & {
  size: number;
  deletedAt: number;
  purgeAt: number;
};

export type TrashPage = { documents: TrashEntry[]; nextCursor: string | null };

export function trashDocument(
  db: Db,
  userId: string,
  id: string,
  options: TrashOptions,
): DocumentRecord {
  purgeExpiredTrash(db, options, userId);
  const trashed = db
    .update(documents)
    .set({ deletedAt: options.now })
    .where(and(eq(documents.userId, userId), eq(documents.id, id), isNull(documents.deletedAt)))
    .returning(recordColumns)
    .get();
  if (!trashed) throw notFound(id);
  publishChange(db, { userId, documentId: id, kind: 'trashed' });
  return trashed;
}

/** Most recently deleted first, with the time each will be purged. */
export function listTrash(
  db: Db,
  userId: string,
  options: TrashOptions & { cursor?: string; limit?: number },
): TrashPage {
  purgeExpiredTrash(db, options, userId);
  const limit = checkLimit(options.limit, MAX_LIST_LIMIT, DEFAULT_LIST_LIMIT);
  const position = buildPagePosition(userId, documents.deletedAt, options.cursor);

  const rows = db
    .select({ ...summaryColumns, deletedAt: documents.deletedAt })
    .from(documents)
    .where(and(eq(documents.userId, userId), isNotNull(documents.deletedAt), position))
    .orderBy(desc(documents.deletedAt), desc(documents.seq))
    .limit(limit + 1)
    .all();

  const page = rows.slice(0, limit).map((row) => {
    const deletedAt = row.deletedAt ?? options.now;
    return { ...row, deletedAt, purgeAt: deletedAt + options.retentionDays * DAY_MS };
  });
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeCursor({ updatedAt: last.deletedAt, id: last.id }) : null;
  return { documents: page, nextCursor };
}

/** Takes a document out of the trash, as it was when deleted. */
export function restoreDocument(
  db: Db,
  userId: string,
  id: string,
  options: TrashOptions,
): DocumentRecord {
  purgeExpiredTrash(db, options, userId);
  const restored = db
    .update(documents)
    .set({ deletedAt: null })
    .where(and(eq(documents.userId, userId), eq(documents.id, id), isNotNull(documents.deletedAt)))
    .returning(recordColumns)
    .get();
  if (!restored) throw notInTrash(id);
  publishChange(db, { userId, documentId: id, kind: 'restored' });
  return restored;
}

/**
 * Deletes a document in the trash for good, with all its versions. The caller must repeat the
 * exact title: an assistant cannot purge by mistyping or guessing an id alone.
 */
export function purgeDocument(
  db: Db,
  userId: string,
  id: string,
  confirmTitle: string,
  options: TrashOptions,
): DocumentRecord {
  purgeExpiredTrash(db, options, userId);
  const inTrash = db
    .select(recordColumns)
    .from(documents)
    .where(and(eq(documents.userId, userId), eq(documents.id, id), isNotNull(documents.deletedAt)))
    .get();
  if (!inTrash) throw notInTrash(id);
  if (inTrash.title !== confirmTitle) {
    // The title is not echoed: the caller is to read it from list_trash and repeat it.
    throw new DocumentError(
      'invalid',
      `confirm_title must repeat the title of document "${id}" exactly, as list_trash shows ` +
        'it; nothing was purged',
    );
  }

  db.delete(documents)
    .where(and(eq(documents.userId, userId), eq(documents.id, id)))
    .run();
  publishChange(db, { userId, documentId: id, kind: 'purged' });
  return inTrash;
}

/** Purges documents trashed longer ago than the retention period; returns how many. */
export function purgeExpiredTrash(db: Db, options: TrashOptions, userId?: string): number {
  const cutoff = options.now - options.retentionDays * DAY_MS;
  const purged = db
    .delete(documents)
    .where(
      and(
        userId === undefined ? undefined : eq(documents.userId, userId),
        isNotNull(documents.deletedAt),
        lt(documents.deletedAt, cutoff),
      ),
    )
    .returning({ id: documents.id, userId: documents.userId })
    .all();
  for (const row of purged) {
    publishChange(db, { userId: row.userId, documentId: row.id, kind: 'purged' });
  }
  return purged.length;
}

function notInTrash(id: string): DocumentError {
  return new DocumentError('not_found', `id "${id}" names no document in your trash`);
}
