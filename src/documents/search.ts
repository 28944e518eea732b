import { and, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../storage/database.ts';
import { DocumentError } from './document-error.ts';
import { buildFilterConditions, checkLimit, type DocumentFilters } from './listing.ts';
import { joinAllTerms, joinAnyTerm, parseSearchTerms } from './search-query.ts';
import { removeTokenBreaks } from './search-text.ts';

export type SearchHit = {
  id: string;
  title: string;
  folder: string;
  tags: string[];
  updatedAt: number;
  /** A short excerpt with each matched term wrapped in `**`. */
  snippet: string;
  /** Higher is better; only meaningful within one result list. */
  score: number;
};

export type SearchOptions = DocumentFilters & { limit?: number; cursor?: string };

export type SearchPage = { hits: SearchHit[]; nextCursor: string | null };

export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 50;

// A title match counts this many times a body match in bm25 (columns: title, body).
const TITLE_WEIGHT = 10;
const BODY_WEIGHT = 1;

type Mode = 'all' | 'any';

/**
 * Full-text search over one user's live documents, best first (bm25, titles weighted above
 * bodies). Any text is a valid query (see search-query.ts); a query with no words returns no
 * hits. When no document holds every term, documents holding any of them are returned
 * instead, so long natural-language questions still find something. Pages with an opaque
 * cursor that is only valid for the same query and filters.
 */
export function searchDocumentPage(
  db: Db,
  userId: string,
  query: string,
  options: SearchOptions = {},
): SearchPage {
  const limit = checkLimit(options.limit, MAX_SEARCH_LIMIT, DEFAULT_SEARCH_LIMIT);
  const terms = parseSearchTerms(query);
  if (terms.length === 0) return { hits: [], nextCursor: null };

  const fingerprint = fingerprintSearch(query, options);
  const filters = buildFilterConditions(userId, options);
  if (options.cursor !== undefined) {
    const position = decodeSearchCursor(options.cursor, fingerprint);
    return runPage(db, terms, position.mode, filters, position.offset, limit, fingerprint);
  }

  const page = runPage(db, terms, 'all', filters, 0, limit, fingerprint);
  if (page.hits.length > 0 || terms.length === 1) return page;
  return runPage(db, terms, 'any', filters, 0, limit, fingerprint);
}

/** The first page of hits, for callers that need no cursor. */
export function searchDocuments(
  db: Db,
  userId: string,
  query: string,
  options: SearchOptions = {},
): SearchHit[] {
  return searchDocumentPage(db, userId, query, options).hits;
}

type HitRow = {
  id: string;
  title: string;
  folder: string;
  tags: string;
  updatedAt: number;
  snippet: string;
  rank: number;
};

function runPage(
  db: Db,
  terms: string[],
  mode: Mode,
  filters: SQL[],
  offset: number,
  limit: number,
  fingerprint: string,
): SearchPage {
  const expression = mode === 'all' ? joinAllTerms(terms) : joinAnyTerm(terms);
  const rows = db.all<HitRow>(sql`
    select documents.id as id, documents.title as title, documents.folder as folder,
      documents.tags as tags, documents.updated_at as updatedAt,
      snippet(documents_fts, -1, '**', '**', '…', 24) as snippet,
      bm25(documents_fts, ${TITLE_WEIGHT}, ${BODY_WEIGHT}) as rank
    from documents_fts
    join documents on documents.seq = documents_fts.rowid
    where documents_fts match ${expression} and ${and(...filters)}
    order by rank, documents.seq
    limit ${limit + 1} offset ${offset}
  `);

  // bm25() is lower-is-better; flip it so callers can read score as relevance.
  const hits = rows.slice(0, limit).map((row) => ({
    id: row.id,
    title: row.title,
    folder: row.folder,
    tags: JSON.parse(row.tags) as string[],
    updatedAt: row.updatedAt,
    snippet: removeTokenBreaks(row.snippet),
    score: -row.rank,
  }));
  const nextCursor =
    rows.length > limit ? encodeSearchCursor(mode, offset + limit, fingerprint) : null;
  return { hits, nextCursor };
}

function fingerprintSearch(query: string, options: SearchOptions): string {
  const { cursor: _cursor, limit: _limit, ...filters } = options;
  return Bun.hash(JSON.stringify([query, filters])).toString(36);
}

function encodeSearchCursor(mode: Mode, offset: number, fingerprint: string): string {
  return Buffer.from(`${mode}.${offset}.${fingerprint}`, 'utf8').toString('base64url');
}

function decodeSearchCursor(cursor: string, fingerprint: string): { mode: Mode; offset: number } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(all|any)\.(\d{1,7})\.([0-9a-z]{1,20})$/.exec(text);
  if (!match || match[3] !== fingerprint) {
    throw new DocumentError(
      'invalid',
      'cursor must be the next_cursor of an earlier page of the same query and filters',
    );
  }
  return { mode: match[1] as Mode, offset: Number(match[2]) };
}
