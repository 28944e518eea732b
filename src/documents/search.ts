import { sql } from 'drizzle-orm';
import type { Db } from '../storage/database.ts';
import { DocumentError } from './document-error.ts';
import { joinAllTerms, joinAnyTerm, parseSearchTerms } from './search-query.ts';

export type SearchHit = {
  id: string;
  title: string;
  /** A short excerpt with each matched term wrapped in `**`. */
  snippet: string;
  /** Higher is better; only meaningful within one result list. */
  score: number;
};

export type SearchOptions = { limit?: number };

export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 50;

// A title match counts this many times a body match in bm25 (columns: title, body).
const TITLE_WEIGHT = 10;
const BODY_WEIGHT = 1;

/**
 * Full-text search over one user's documents, best first. Any text is a valid query (see
 * search-query.ts); a query with no words returns no hits. When no document holds every term,
 * documents holding any of them are returned instead, so long natural-language questions still
 * find something.
 */
export function searchDocuments(
  db: Db,
  userId: string,
  query: string,
  options: SearchOptions = {},
): SearchHit[] {
  const limit = checkSearchLimit(options.limit);
  const terms = parseSearchTerms(query);
  if (terms.length === 0) return [];

  const hits = runMatch(db, userId, joinAllTerms(terms), limit);
  if (hits.length > 0 || terms.length === 1) return hits;
  return runMatch(db, userId, joinAnyTerm(terms), limit);
}

type HitRow = { id: string; title: string; snippet: string; rank: number };

function runMatch(db: Db, userId: string, expression: string, limit: number): SearchHit[] {
  const rows = db.all<HitRow>(sql`
    select d.id as id, d.title as title,
      snippet(documents_fts, -1, '**', '**', '…', 24) as snippet,
      bm25(documents_fts, ${TITLE_WEIGHT}, ${BODY_WEIGHT}) as rank
    from documents_fts
    join documents d on d.seq = documents_fts.rowid
    where documents_fts match ${expression} and d.user_id = ${userId}
    order by rank
    limit ${limit}
  `);
  // bm25() is lower-is-better; flip it so callers can read score as relevance.
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    snippet: row.snippet,
    score: -row.rank,
  }));
}

function checkSearchLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw new DocumentError(
      'invalid',
      `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}, got ${limit}`,
    );
  }
  return limit;
}
