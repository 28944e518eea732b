import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../storage/database.ts';
import { documents, documentVersions } from '../storage/schema.ts';
import { DocumentError, notFound } from './document-error.ts';
import {
  changeDocument,
  type DocumentRecord,
  findDocument,
  type WriteOptions,
} from './documents.ts';
import { checkLimit } from './listing.ts';

export type VersionSummary = {
  version: number;
  title: string;
  folder: string;
  tags: string[];
  size: number;
  action: string;
  changedBy: string;
  changedAt: number;
};

export type VersionRecord = VersionSummary & { body: string };

export type HistoryPage = { versions: VersionSummary[]; nextCursor: string | null };

export const DEFAULT_HISTORY_LIMIT = 20;
export const MAX_HISTORY_LIMIT = 100;

const versionColumns = {
  version: documentVersions.version,
  title: documentVersions.title,
  folder: documentVersions.folder,
  tags: documentVersions.tags,
  size: sql<number>`length(cast(${documentVersions.body} as blob))`,
  action: documentVersions.action,
  changedBy: documentVersions.changedBy,
  changedAt: documentVersions.changedAt,
};

/** The kept versions of a live document, newest first; the first is the current one. */
export function listHistory(
  db: Db,
  userId: string,
  id: string,
  options: { cursor?: string; limit?: number } = {},
): HistoryPage {
  if (!findDocument(db, userId, id)) throw notFound(id);
  const limit = checkLimit(options.limit, MAX_HISTORY_LIMIT, DEFAULT_HISTORY_LIMIT);
  const before = options.cursor === undefined ? undefined : decodeVersionCursor(options.cursor);

  const rows = db
    .select(versionColumns)
    .from(documentVersions)
    .where(
      and(
        eq(documentVersions.documentId, id),
        before === undefined ? undefined : lt(documentVersions.version, before),
      ),
    )
    .orderBy(desc(documentVersions.version))
    .limit(limit + 1)
    .all();

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    versions: page,
    nextCursor: rows.length > limit && last ? String(last.version) : null,
  };
}

/** One kept version with its text. */
export function findVersion(db: Db, userId: string, id: string, version: number): VersionRecord {
  if (!findDocument(db, userId, id)) throw notFound(id);
  const row = db
    .select({ ...versionColumns, body: documentVersions.body })
    .from(documentVersions)
    .innerJoin(documents, eq(documents.id, documentVersions.documentId))
    .where(
      and(
        eq(documents.userId, userId),
        eq(documentVersions.documentId, id),
        eq(documentVersions.version, version),
      ),
    )
    .get();
  if (!row) {
    throw new DocumentError(
      'not_found',
      `version ${version} of document "${id}" is not kept; document_history lists those that are`,
    );
  }
  return row;
}

/** Brings back an old version's title, text, folder and tags as a new version. */
export function restoreVersion(
  db: Db,
  userId: string,
  id: string,
  request: { version: number; baseVersion?: number },
  options: WriteOptions,
): DocumentRecord {
  const old = findVersion(db, userId, id, request.version);
  return changeDocument(
    db,
    userId,
    id,
    { baseVersion: request.baseVersion, action: `restore of version ${request.version}` },
    options,
    () => ({ title: old.title, body: old.body, folder: old.folder, tags: old.tags }),
  );
}

function decodeVersionCursor(cursor: string): number {
  if (!/^\d{1,9}$/.test(cursor)) {
    throw new DocumentError(
      'invalid',
      'cursor must be the next_cursor of an earlier page, passed back unchanged',
    );
  }
  return Number(cursor);
}
