import { and, count, desc, eq, lt, or, sql } from 'drizzle-orm';
import { randomToken } from '../secrets.ts';
import type { Db } from '../storage/database.ts';
import { documents } from '../storage/schema.ts';
import { DocumentError, notFound } from './document-error.ts';
import { checkBody, checkTitle } from './document-rules.ts';
import { decodeCursor, encodeCursor } from './list-cursor.ts';

/**
 * The documents library. Every function takes the database and the owner's user id first and
 * only ever sees that user's rows: another user's document reads exactly like a missing one.
 * Refusals throw DocumentError before anything is written.
 */

export type DocumentRecord = {
  id: string;
  title: string;
  body: string;
  createdAt: number;
  updatedAt: number;
};

/** A list entry: everything but the body, plus the body's size in UTF-8 bytes. */
export type DocumentSummary = Omit<DocumentRecord, 'body'> & { size: number };

export type WriteOptions = { maxBytes: number; now: number };

export type ListOptions = { cursor?: string; limit?: number };

export type DocumentPage = { documents: DocumentSummary[]; nextCursor: string | null };

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;

const recordColumns = {
  id: documents.id,
  title: documents.title,
  body: documents.body,
  createdAt: documents.createdAt,
  updatedAt: documents.updatedAt,
};

export function createDocument(
  db: Db,
  userId: string,
  input: { title: string; body: string },
  options: WriteOptions,
): DocumentRecord {
  const title = checkTitle(input.title);
  checkBody(input.body, options.maxBytes);

  // 128 random bits: ids appear in URLs, so they must not be guessable or sequential.
  const record: DocumentRecord = {
    id: randomToken(16),
    title,
    body: input.body,
    createdAt: options.now,
    updatedAt: options.now,
  };
  db.insert(documents)
    .values({ ...record, userId })
    .run();
  return record;
}

export function findDocument(db: Db, userId: string, id: string): DocumentRecord | undefined {
  return selectDocument(db, userId, id);
}

// Also runs inside transactions, whose handle is not a Db but selects the same way.
function selectDocument(
  db: Pick<Db, 'select'>,
  userId: string,
  id: string,
): DocumentRecord | undefined {
  return db
    .select(recordColumns)
    .from(documents)
    .where(and(eq(documents.userId, userId), eq(documents.id, id)))
    .get();
}

export function countDocuments(db: Db, userId: string): number {
  const row = db
    .select({ total: count() })
    .from(documents)
    .where(eq(documents.userId, userId))
    .get();
  return row?.total ?? 0;
}

/** Changes the title, the body or both; at least one must be given. */
export function updateDocument(
  db: Db,
  userId: string,
  id: string,
  changes: { title?: string; body?: string },
  options: WriteOptions,
): DocumentRecord {
  if (changes.title === undefined && changes.body === undefined) {
    throw new DocumentError('invalid', 'title or body must be given; nothing would change');
  }
  const title = changes.title === undefined ? undefined : checkTitle(changes.title);
  if (changes.body !== undefined) checkBody(changes.body, options.maxBytes);

  return db.transaction((tx) => {
    const current = selectDocument(tx, userId, id);
    if (!current) throw notFound(id);

    const next: DocumentRecord = {
      ...current,
      title: title ?? current.title,
      body: changes.body ?? current.body,
      updatedAt: options.now,
    };
    tx.update(documents)
      .set({ title: next.title, body: next.body, updatedAt: next.updatedAt })
      .where(and(eq(documents.userId, userId), eq(documents.id, id)))
      .run();
    return next;
  });
}

/** Removes the document for good and returns what it held, for the caller's event log. */
export function deleteDocument(db: Db, userId: string, id: string): DocumentRecord {
  const deleted = db
    .delete(documents)
    .where(and(eq(documents.userId, userId), eq(documents.id, id)))
    .returning(recordColumns)
    .get();
  if (!deleted) throw notFound(id);
  return deleted;
}

/**
 * Newest first (updatedAt, then insertion order), one page at a time. The cursor is opaque;
 * a page that ends the list has `nextCursor: null`.
 */
export function listDocuments(db: Db, userId: string, options: ListOptions = {}): DocumentPage {
  const limit = checkLimit(options.limit);
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);

  // The tie-breaking row number of the cursor's document is looked up here rather than carried
  // in the cursor. If that document was deleted meanwhile, the page resumes at the next older
  // updatedAt, which can skip only rows written in the very same millisecond.
  const afterSeq = after
    ? sql`(select ${documents.seq} from ${documents}
          where ${documents.userId} = ${userId} and ${documents.id} = ${after.id})`
    : undefined;
  const position =
    after && afterSeq
      ? or(
          lt(documents.updatedAt, after.updatedAt),
          and(eq(documents.updatedAt, after.updatedAt), lt(documents.seq, afterSeq)),
        )
      : undefined;

  const rows = db
    .select({
      id: documents.id,
      title: documents.title,
      createdAt: documents.createdAt,
      updatedAt: documents.updatedAt,
      size: sql<number>`length(cast(${documents.body} as blob))`,
    })
    .from(documents)
    .where(and(eq(documents.userId, userId), position))
    .orderBy(desc(documents.updatedAt), desc(documents.seq))
    .limit(limit + 1)
    .all();

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(last) : null;
  return { documents: page, nextCursor };
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new DocumentError(
      'invalid',
      `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, got ${limit}`,
    );
  }
  return limit;
}
