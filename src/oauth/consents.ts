import { and, eq } from 'drizzle-orm';
import type { Db } from '../storage/database.ts';
import { consents } from '../storage/schema.ts';
import { coversScope, parseScope } from './scope.ts';

/** Whether this user already approved this client for at least this scope. */
export function hasConsent(db: Db, userId: string, clientId: string, scope: string): boolean {
  const row = db
    .select()
    .from(consents)
    .where(and(eq(consents.userId, userId), eq(consents.clientId, clientId)))
    .get();
  return row !== undefined && coversScope(row.scope, scope);
}

/** Remembers an approval, widening (never narrowing) what was approved before. */
export function saveConsent(db: Db, userId: string, clientId: string, scope: string, now: number) {
  const existing = db
    .select()
    .from(consents)
    .where(and(eq(consents.userId, userId), eq(consents.clientId, clientId)))
    .get();
  const merged = [...new Set([...parseScope(existing?.scope ?? ''), ...parseScope(scope)])].join(
    ' ',
  );

  db.insert(consents)
    .values({ userId, clientId, scope: merged, updatedAt: now })
    .onConflictDoUpdate({
      target: [consents.userId, consents.clientId],
      set: { scope: merged, updatedAt: now },
    })
    .run();
}
