import { eq, lt } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { cookieName, readCookie, serializeCookie } from '../http/cookies.ts';
import { hashSecret, randomToken } from '../secrets.ts';
import { browserSessions, users } from '../storage/schema.ts';
import type { Account } from './accounts.ts';

/**
 * Browser sessions: a random id in an HttpOnly cookie, stored only as its SHA-256 hash so a
 * copy of the database cannot be replayed as a signed-in browser.
 */

export const sessionTtlSeconds = 30 * 86400;

const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * Stores a new session for the user and returns the Set-Cookie header that carries it. Pass
 * the request to also end the session it already carries, so signing in again (or as someone
 * else) leaves no older session alive in the database.
 */
export async function startSession(
  ctx: AppContext,
  userId: string,
  replacing?: Request,
): Promise<string> {
  const now = ctx.now();
  const id = randomToken();

  const previous = replacing && readSessionHash(ctx, replacing);
  if (previous) ctx.db.delete(browserSessions).where(eq(browserSessions.idHash, previous)).run();
  ctx.db.delete(browserSessions).where(lt(browserSessions.expiresAt, now)).run();
  ctx.db
    .insert(browserSessions)
    .values({
      idHash: hashSecret(id),
      userId,
      createdAt: now,
      expiresAt: now + sessionTtlSeconds * 1000,
    })
    .run();

  return serializeCookie(sessionCookieName(ctx), id, {
    secure: ctx.config.secureCookies,
    maxAgeSeconds: sessionTtlSeconds,
    httpOnly: true,
    sameSite: 'Lax',
  });
}

/** The account behind the request's session cookie, or null; an expired session is deleted. */
export function findSignedInUser(ctx: AppContext, request: Request): Account | null {
  const idHash = readSessionHash(ctx, request);
  if (!idHash) return null;

  const row = ctx.db
    .select({ id: users.id, email: users.email, expiresAt: browserSessions.expiresAt })
    .from(browserSessions)
    .innerJoin(users, eq(users.id, browserSessions.userId))
    .where(eq(browserSessions.idHash, idHash))
    .get();
  if (!row) return null;

  if (row.expiresAt <= ctx.now()) {
    ctx.db.delete(browserSessions).where(eq(browserSessions.idHash, idHash)).run();
    return null;
  }
  return { id: row.id, email: row.email };
}

/** Deletes the request's session, if any, and returns a Set-Cookie header that clears it. */
export function endSession(ctx: AppContext, request: Request): string {
  const idHash = readSessionHash(ctx, request);
  if (idHash) ctx.db.delete(browserSessions).where(eq(browserSessions.idHash, idHash)).run();

  return serializeCookie(sessionCookieName(ctx), '', {
    secure: ctx.config.secureCookies,
    maxAgeSeconds: 0,
    httpOnly: true,
    sameSite: 'Lax',
  });
}

function sessionCookieName(ctx: AppContext): string {
  return cookieName('folio_session', ctx.config.secureCookies);
}

function readSessionHash(ctx: AppContext, request: Request): string | undefined {
  const id = readCookie(request, sessionCookieName(ctx));
  return id && sessionIdPattern.test(id) ? hashSecret(id) : undefined;
}
