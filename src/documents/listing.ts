import { and, count, desc, eq, gte, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../storage/database.ts';
import { documents } from '../storage/schema.ts';
import { DocumentError } from './document-error.ts';
import { checkFolder } from './document-rules.ts';
import type { DocumentSummary } from './documents.ts';
import { decodeCursor, encodeCursor } from './list-cursor.ts';

export type DocumentFilters = {
  /** Only documents in this folder ('' is the top level). */
  folder?: string;
  /** With folder: also documents in its subfolders, at any depth. */
  recursive?: boolean;
  /** Only documents carrying this tag (compared without regard to case). */
  tag?: string;
  /** Milliseconds since the epoch, inclusive. */
  updatedAfter?: number;
  updatedBefore?: number;
};

export type ListOptions = DocumentFilters & { cursor?: string; limit?: number };

export type DocumentPage = { documents: DocumentSummary[]; nextCursor: string | null };

export type Subfolder = { path: string; documents: number };

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;

export const summaryColumns = {
  id: documents.id,
  title: documents.title,
  folder: documents.folder,
  tags: documents.tags,
  version: documents.version,
  createdAt: documents.createdAt,
  updatedAt: documents.updatedAt,
  size: documents.size,
};

/** The SQL conditions for a user's live documents matching `filters`, for lists and search. */
export function buildFilterConditions(userId: string, filters: DocumentFilters): SQL[] {
  const conditions: SQL[] = [eq(documents.userId, userId), isNull(documents.deletedAt)];
  if (filters.folder !== undefined) {
    const folder = checkFolder(filters.folder);
    conditions.push(filters.recursive ? isUnderFolder(folder) : eq(documents.folder, folder));
  }
  if (filters.tag !== undefined) {
    conditions.push(sql`exists (select 1 from json_each(${documents.tags})
      where lower(json_each.value) = lower(${filters.tag.trim()}))`);
  }
  if (filters.updatedAfter !== undefined) {
    conditions.push(gte(documents.updatedAt, filters.updatedAfter));
  }
  if (filters.updatedBefore !== undefined) {
    conditions.push(lte(documents.updatedAt, filters.updatedBefore));
  }
  return conditions;
}

// A prefix comparison rather than LIKE, so `%` and `_` in folder names mean themselves.
function isUnderFolder(folder: string): SQL {
  if (folder === '') return sql`1 = 1`;
  const prefix = `${folder}/`;
  return sql`(${documents.folder} = ${folder}
    or substr(${documents.folder}, 1, ${prefix.length}) = ${prefix})`;
}

/**
 * Newest first (updatedAt, then insertion order), one page at a time. The cursor is opaque;
 * a page that ends the list has `nextCursor: null`.
 */
export function listDocuments(db: Db, userId: string, options: ListOptions = {}): DocumentPage {
  const limit = checkLimit(options.limit, MAX_LIST_LIMIT, DEFAULT_LIST_LIMIT);
  const position = buildPagePosition(userId, documents.updatedAt, options.cursor);

  const rows = db
    .select(summaryColumns)
    .from(documents)
    .where(and(...buildFilterConditions(userId, options), position))
    .orderBy(desc(documents.updatedAt), desc(documents.seq))
    .limit(limit + 1)
    .all();

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(last) : null;
  return { documents: page, nextCursor };
}

/**
 * Where a newest-first page resumes: rows older (by `time`, then insertion order) than the
 * cursor's document. Its tie-breaking row number is looked up rather than carried in the
 * cursor; if that document went away meanwhile, the page resumes at the next older time, which
 * can skip only rows written in the very same millisecond.
 */
export function buildPagePosition(
  userId: string,
  time: typeof documents.updatedAt | typeof documents.deletedAt,
  cursor: string | undefined,
): SQL | undefined {
  if (cursor === undefined) return undefined;
  const after = decodeCursor(cursor);
  const afterSeq = sql`(select ${documents.seq} from ${documents}
    where ${documents.userId} = ${userId} and ${documents.id} = ${after.id})`;
  return or(lt(time, after.updatedAt), and(eq(time, after.updatedAt), lt(documents.seq, afterSeq)));
}

/** The folders directly inside `parent`, each with how many documents it holds at any depth. */
export function listSubfolders(db: Db, userId: string, parent = ''): Subfolder[] {
  const folder = checkFolder(parent);
  const rows = db
    .select({ folder: documents.folder, documents: count() })
    .from(documents)
    .where(and(...buildFilterConditions(userId, { folder, recursive: true })))
    .groupBy(documents.folder)
    .all();

  const children = new Map<string, number>();
  for (const row of rows) {
    if (row.folder === folder) continue;
    const rest = folder === '' ? row.folder : row.folder.slice(folder.length + 1);
    const child = [folder, rest.split('/')[0]].filter(Boolean).join('/');
    children.set(child, (children.get(child) ?? 0) + row.documents);
  }
  return [...children]
    .map(([path, total]) => ({ path, documents: total }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

export function checkLimit(limit: number | undefined, max: number, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new DocumentError(
      'invalid',
      `limit must be a whole number from 1 to ${max}, got ${limit}`,
    );
  }
  return limit;
}

/**
 * Reads an ISO 8601 date or date-time for a filter, naming the field when it is not one. A bare
 * date as an upper bound means the end of that day (UTC), so `updated_before: 2026-01-31`
 * includes the 31st.
 */
export function parseDateFilter(field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) {
    throw new DocumentError(
      'invalid',
      `${field} must be an ISO 8601 date such as 2026-01-31 or 2026-01-31T12:00:00Z`,
    );
  }
  const isBareDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
  return isBareDate && field.endsWith('_before') ? time + 24 * 60 * 60 * 1000 - 1 : time;
}
