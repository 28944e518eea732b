import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../storage/database.ts';
import { clients, consents, grants, refreshTokens } from '../storage/schema.ts';
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

export type Connection = {
  clientId: string;
  clientName: string | null;
  redirectUris: string[];
  scope: string;
  approvedAt: number;
};

/** The applications this user has approved, most recent first. */
export function listConnections(db: Db, userId: string): Connection[] {
  return db
    .select({
      clientId: consents.clientId,
      clientName: clients.clientName,
      redirectUris: clients.redirectUris,
      scope: consents.scope,
      approvedAt: consents.updatedAt,
    })
    .from(consents)
    .innerJoin(clients, eq(clients.clientId, consents.clientId))
    .where(eq(consents.userId, userId))
    .orderBy(desc(consents.updatedAt))
    .all();
}

/**
 * Ends every grant this user gave this client and forgets the approval, so the next
 * authorization asks again. Returns how many grants were live.
 */
export function revokeConnection(db: Db, userId: string, clientId: string, now: number): number {
  return db.transaction((tx) => {
    const live = tx
      .update(grants)
      .set({ revokedAt: now })
      .where(
        and(eq(grants.userId, userId), eq(grants.clientId, clientId), isNull(grants.revokedAt)),
      )
      .returning({ id: grants.id })
      .all();
    for (const grant of live) {
      tx.delete(refreshTokens).where(eq(refreshTokens.grantId, grant.id)).run();
    }
    tx.delete(consents)
      .where(and(eq(consents.userId, userId), eq(consents.clientId, clientId)))
      .run();
    return live.length;
  });
}
