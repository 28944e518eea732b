import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import { hashSecret, randomToken } from '../secrets.ts';
import type { Db } from '../storage/database.ts';
import { authorizationCodes, grants, refreshTokens } from '../storage/schema.ts';

/**
 * Grants and the secrets that come from them. A grant is one user's permission for one client,
 * created when a code is exchanged; its refresh tokens rotate and its access tokens stop
 * working as soon as it is revoked.
 */

export type Grant = typeof grants.$inferSelect;
export type AuthorizationCode = typeof authorizationCodes.$inferSelect;

/** RFC 6749 §4.1.2 recommends at most 10 minutes. */
export const codeLifetimeMs = 5 * 60 * 1000;

/**
 * A rotated refresh token still works this long, so concurrent refreshes from one client
 * (Gemini CLI fires several at once; two windows of one editor) do not log each other out.
 */
export const refreshGraceMs = 60 * 1000;

export type NewCode = Omit<AuthorizationCode, 'codeHash' | 'expiresAt' | 'grantId'>;

export function issueCode(db: Db, code: NewCode, now: number): string {
  const secret = randomToken();
  db.delete(authorizationCodes)
    .where(lt(authorizationCodes.expiresAt, now - 86_400_000))
    .run();
  db.insert(authorizationCodes)
    .values({ ...code, codeHash: hashSecret(secret), expiresAt: now + codeLifetimeMs })
    .run();
  return secret;
}

export function findCode(db: Db, secret: string): AuthorizationCode | undefined {
  return db
    .select()
    .from(authorizationCodes)
    .where(eq(authorizationCodes.codeHash, hashSecret(secret)))
    .get();
}

/**
 * Turns an unused code into a grant, atomically: of two racing exchanges only one finds the
 * code unused. Returns undefined when the code was already used.
 */
export function exchangeCode(db: Db, code: AuthorizationCode, now: number): Grant | undefined {
  return db.transaction((tx) => {
    const grant: Grant = {
      id: randomToken(16),
      userId: code.userId,
      clientId: code.clientId,
      scope: code.scope,
      resource: code.resource,
      createdAt: now,
      revokedAt: null,
    };
    const claimed = tx
      .update(authorizationCodes)
      .set({ grantId: grant.id })
      .where(
        and(eq(authorizationCodes.codeHash, code.codeHash), isNull(authorizationCodes.grantId)),
      )
      .returning({ codeHash: authorizationCodes.codeHash })
      .all();
    if (claimed.length !== 1) return undefined;

    tx.insert(grants).values(grant).run();
    return grant;
  });
}

// Every request to /mcp looks its grant up: prepared once per database, not rebuilt each time.
const findGrantStatements = new WeakMap<Db, ReturnType<typeof prepareFindGrant>>();

function prepareFindGrant(db: Db) {
  return db
    .select()
    .from(grants)
    .where(eq(grants.id, sql.placeholder('id')))
    .prepare();
}

export function findGrant(db: Db, id: string): Grant | undefined {
  let statement = findGrantStatements.get(db);
  if (!statement) {
    statement = prepareFindGrant(db);
    findGrantStatements.set(db, statement);
  }
  return statement.get({ id });
}

export function revokeGrant(db: Db, id: string, now: number): boolean {
  const result = db
    .update(grants)
    .set({ revokedAt: now })
    .where(and(eq(grants.id, id), isNull(grants.revokedAt)))
    .returning({ id: grants.id })
    .all();
  db.delete(refreshTokens).where(eq(refreshTokens.grantId, id)).run();
  return result.length > 0;
}

export function issueRefreshToken(
  db: Db,
  grantId: string,
  now: number,
  ttlMs: number,
  secret: string = randomToken(),
): string {
  db.insert(refreshTokens)
    .values({ tokenHash: hashSecret(secret), grantId, createdAt: now, expiresAt: now + ttlMs })
    .onConflictDoNothing()
    .run();
  return secret;
}

/**
 * The token that replaces `presented` when it is rotated: an HMAC of it under a server key.
 * Being a function of the old token, a retry within the grace window gets the same successor,
 * so one grant never forks into two live chains that reuse detection could not tell apart.
 */
export function deriveSuccessor(key: string, presented: string): string {
  return new Bun.CryptoHasher('sha256', key).update(presented).digest('base64url');
}

export type RefreshToken = typeof refreshTokens.$inferSelect;

export function findRefreshToken(db: Db, secret: string): RefreshToken | undefined {
  return db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashSecret(secret)))
    .get();
}

/** Marks a refresh token used; the first use stamps the time the grace window runs from. */
export function markRotated(db: Db, token: RefreshToken, now: number): void {
  db.update(refreshTokens)
    .set({ rotatedAt: now })
    .where(and(eq(refreshTokens.tokenHash, token.tokenHash), isNull(refreshTokens.rotatedAt)))
    .run();
  db.delete(refreshTokens)
    .where(and(eq(refreshTokens.grantId, token.grantId), lt(refreshTokens.expiresAt, now)))
    .run();
}
