import { and, count, eq, isNull, sql } from 'drizzle-orm';
import { randomToken } from '../secrets.ts';
import type { Db } from '../storage/database.ts';
import { documents, documentVersions } from '../storage/schema.ts';
import { publishChange } from './change-feed.ts';
import { DocumentError, notFound, versionConflict } from './document-error.ts';
import { checkBody, checkFolder, checkTags, checkTitle } from './document-rules.ts';
import { checkUserQuota } from './quota.ts';
import { prepareSearchText } from './search-text.ts';
import { type DocumentSettings, defaultDocumentSettings } from './settings.ts';

/**
 * The documents library. Every function takes the database and the owner's user id first and
 * only ever sees that user's rows: another user's document reads exactly like a missing one.
 * Refusals throw DocumentError before anything is written. Every change stores a version.
 */

export type DocumentRecord = {
  id: string;
  title: string;
  body: string;
  folder: string;
  tags: string[];
  version: number;
  createdAt: number;
  updatedAt: number;
};

/** A list entry: everything but the body, plus the body's size in UTF-8 bytes. */
export type DocumentSummary = Omit<DocumentRecord, 'body'> & { size: number };

export type WriteOptions = {
  now: number;
  /** Largest body in UTF-8 bytes (MAX_DOCUMENT_BYTES). */
  maxBytes: number;
  /** Who makes the change: the caller's OAuth client id, or `cli` or `web`. */
  actor?: string;
  limits?: Partial<DocumentSettings>;
};

export type DocumentFields = { title: string; body: string; folder: string; tags: string[] };

/** What an import may carry over from an export: the old id, and the original timestamps. */
export type ImportedIdentity = {
  id?: string;
  originId?: string;
  createdAt?: number;
  /** An export's own time of last change, kept when the document is created from it. */
  updatedAt?: number;
};

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Reader = Pick<Db, 'select'>;

export const recordColumns = {
  id: documents.id,
  title: documents.title,
  body: documents.body,
  folder: documents.folder,
  tags: documents.tags,
  version: documents.version,
  createdAt: documents.createdAt,
  updatedAt: documents.updatedAt,
};

export function createDocument(
  db: Db,
  userId: string,
  input: { title: string; body: string; folder?: string; tags?: readonly string[] },
  options: WriteOptions,
  identity: ImportedIdentity = {},
): DocumentRecord {
  const fields: DocumentFields = {
    title: checkTitle(input.title),
    body: input.body,
    folder: checkFolder(input.folder ?? ''),
    tags: checkTags(input.tags ?? []),
  };
  const size = checkBody(fields.body, options.maxBytes);

  const record = db.transaction((tx) => {
    checkUserQuota(tx, userId, { documents: 1, bytes: size }, options.limits);
    const id = identity.id && !isIdTaken(tx, identity.id) ? identity.id : newDocumentId();
    const created: DocumentRecord = {
      id,
      ...fields,
      version: 1,
      createdAt: identity.createdAt ?? options.now,
      updatedAt: identity.updatedAt ?? options.now,
    };
    tx.insert(documents)
      .values({
        ...created,
        userId,
        size,
        originId: identity.originId ?? null,
        searchTitle: prepareSearchText(created.title),
        searchBody: prepareSearchText(created.body),
      })
      .run();
    insertVersion(tx, created, identity.originId ? 'import' : 'create', options);
    return created;
  });
  publishChange(db, { userId, documentId: record.id, kind: 'created' });
  return record;
}

// 128 random bits: ids appear in URLs, so they must not be guessable or sequential.
export function newDocumentId(): string {
  return randomToken(16);
}

function isIdTaken(tx: Reader, id: string): boolean {
  return (
    tx.select({ id: documents.id }).from(documents).where(eq(documents.id, id)).get() !== undefined
  );
}

/** A live document (not in the trash), or undefined. */
export function findDocument(db: Reader, userId: string, id: string): DocumentRecord | undefined {
  return db
    .select(recordColumns)
    .from(documents)
    .where(and(eq(documents.userId, userId), eq(documents.id, id), isNull(documents.deletedAt)))
    .get();
}

/** Live documents of one user. */
export function countDocuments(db: Db, userId: string): number {
  const row = db
    .select({ total: count() })
    .from(documents)
    .where(and(eq(documents.userId, userId), isNull(documents.deletedAt)))
    .get();
  return row?.total ?? 0;
}

export type DocumentChanges = Partial<DocumentFields> & {
  /** The version the caller read; the change is refused if the document has moved on. */
  baseVersion?: number;
};

/** Changes the title, body, folder or tags; at least one must be given. */
export function updateDocument(
  db: Db,
  userId: string,
  id: string,
  changes: DocumentChanges,
  options: WriteOptions,
  action = 'update',
): DocumentRecord {
  const { baseVersion, ...fields } = changes;
  if (Object.values(fields).every((value) => value === undefined)) {
    throw new DocumentError(
      'invalid',
      'title, body, folder or tags must be given; nothing would change',
    );
  }
  const checked: Partial<DocumentFields> = {
    title: fields.title === undefined ? undefined : checkTitle(fields.title),
    body: fields.body,
    folder: fields.folder === undefined ? undefined : checkFolder(fields.folder),
    tags: fields.tags === undefined ? undefined : checkTags(fields.tags),
  };
  if (checked.body !== undefined) checkBody(checked.body, options.maxBytes);

  return changeDocument(db, userId, id, { baseVersion, action }, options, () => checked);
}

/**
 * The one write path for a live document: reads it in a transaction, checks the base version,
 * lets `compute` derive the change from the current text, checks size and quota, writes the
 * new version and tells the change feed once committed.
 */
export function changeDocument(
  db: Db,
  userId: string,
  id: string,
  request: { baseVersion?: number; action: string },
  options: WriteOptions,
  compute: (current: DocumentRecord) => Partial<DocumentFields>,
): DocumentRecord {
  const next = db.transaction((tx) => {
    const current = findDocument(tx, userId, id);
    if (!current) throw notFound(id);
    if (request.baseVersion !== undefined && request.baseVersion !== current.version) {
      throw versionConflict(id, request.baseVersion, current.version);
    }

    const changes = compute(current);
    const updated: DocumentRecord = {
      id: current.id,
      title: changes.title ?? current.title,
      body: changes.body ?? current.body,
      folder: changes.folder ?? current.folder,
      tags: changes.tags ?? current.tags,
      version: current.version + 1,
      createdAt: current.createdAt,
      updatedAt: options.now,
    };
    const size = checkBody(updated.body, options.maxBytes);
    const growth = size - Buffer.byteLength(current.body, 'utf8');
    if (growth > 0) checkUserQuota(tx, userId, { documents: 0, bytes: growth }, options.limits);

    tx.update(documents)
      .set({
        title: updated.title,
        body: updated.body,
        folder: updated.folder,
        tags: updated.tags,
        version: updated.version,
        updatedAt: updated.updatedAt,
        size,
        searchTitle: prepareSearchText(updated.title),
        searchBody: prepareSearchText(updated.body),
      })
      .where(and(eq(documents.userId, userId), eq(documents.id, id)))
      .run();
    insertVersion(tx, updated, request.action, options);
    return updated;
  });
  publishChange(db, { userId, documentId: id, kind: 'updated' });
  return next;
}

export function versionRow(record: DocumentRecord, action: string, options: WriteOptions) {
  return {
    documentId: record.id,
    version: record.version,
    title: record.title,
    body: record.body,
    folder: record.folder,
    tags: record.tags,
    action,
    changedBy: options.actor ?? 'unknown',
    changedAt: options.now,
  };
}

function insertVersion(tx: Tx, record: DocumentRecord, action: string, options: WriteOptions) {
  tx.insert(documentVersions)
    .values(versionRow(record, action, options))
    .run();

  const keep =
    options.limits?.maxVersionsPerDocument ?? defaultDocumentSettings.maxVersionsPerDocument;
  tx.delete(documentVersions)
    .where(
      and(
        eq(documentVersions.documentId, record.id),
        sql`${documentVersions.version} <= ${record.version - keep}`,
      ),
    )
    .run();
}
