import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../storage/database.ts';
import { documents } from '../storage/schema.ts';

/** Suggestions for clients that complete resource URIs as the user types. */

export const MAX_SUGGESTIONS = 100;

/** Ids of live documents whose id starts with, or whose title contains, what was typed. */
export function suggestDocumentIds(db: Db, userId: string, typed: string): string[] {
  const text = typed.trim().toLowerCase();
  const rows = db
    .select({ id: documents.id })
    .from(documents)
    .where(
      and(
        eq(documents.userId, userId),
        isNull(documents.deletedAt),
        text === ''
          ? undefined
          : or(
              sql`substr(${documents.id}, 1, ${text.length}) = ${typed.trim()}`,
              sql`instr(lower(${documents.title}), ${text}) > 0`,
            ),
      ),
    )
    .orderBy(desc(documents.updatedAt))
    .limit(MAX_SUGGESTIONS)
    .all();
  return rows.map((row) => row.id);
}

/** Folder paths (and every folder above them) that start with what was typed. */
export function suggestFolders(db: Db, userId: string, typed: string): string[] {
  const rows = db
    .selectDistinct({ folder: documents.folder })
    .from(documents)
    .where(and(eq(documents.userId, userId), isNull(documents.deletedAt)))
    .all();
  const paths = new Set<string>();
  for (const { folder } of rows) {
    const segments = folder.split('/').filter(Boolean);
    for (let depth = 1; depth <= segments.length; depth += 1) {
      paths.add(segments.slice(0, depth).join('/'));
    }
  }
  const prefix = typed.trim().toLowerCase();
  return [...paths]
    .filter((path) => path.toLowerCase().startsWith(prefix))
    .sort()
    .slice(0, MAX_SUGGESTIONS);
}
