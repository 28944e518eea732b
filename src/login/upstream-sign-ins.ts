import { eq, lt } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { cookieName, readCookie, serializeCookie } from '../http/cookies.ts';
import { safeEqual } from '../http/csrf.ts';
import { hashSecret, randomToken } from '../secrets.ts';
import { upstreamSignIns } from '../storage/schema.ts';
import type { IdentityProvider } from './identity-provider.ts';
import { callUpstream } from './upstream-call.ts';

/**
 * Sign-ins in flight at an upstream provider, each bound to the browser that started it.
 *
 * The binding is what stops the confused deputy of the MCP security guidance: a state that was
 * started (and, for an MCP client, approved) in one browser is worthless in another, so an
 * attacker who sends their upstream URL to a victim cannot get a code for their own client out
 * of the victim's sign-in. It also stops login CSRF (RFC 6749 §10.12): a callback the browser
 * never started cannot sign it in.
 */

/** Long enough to type a password and pass two-factor checks upstream; short for replay. */
export const upstreamSignInTtlMs = 10 * 60 * 1000;

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export type UpstreamSignIn = typeof upstreamSignIns.$inferSelect;

/** What the browser approved before leaving: the MCP client and the scope, if any. */
export type Approval = { clientId: string; scope: string } | null;

/**
 * Stores a new sign-in and returns the 303 to the provider. The browser gets a binding cookie
 * (HttpOnly, SameSite=Lax so it comes back on the provider's top-level redirect; `__Host-` on
 * https so a sibling host cannot plant one) unless it already has one.
 */
export async function beginUpstreamSignIn(
  ctx: AppContext,
  provider: IdentityProvider,
  request: Request,
  returnTo: string,
  approval: Approval,
): Promise<Response> {
  const now = ctx.now();
  const secrets = { state: randomToken(), codeVerifier: randomToken(), nonce: randomToken() };
  const existing = readBrowserToken(ctx, request);
  const browserToken = existing ?? randomToken();
  const location = await callUpstream(
    ctx,
    provider,
    {
      title: 'Sign-in unavailable',
      explanation: `Folio cannot reach ${provider.name} right now. Try again in a moment.`,
    },
    () => provider.createAuthorizationUrl(secrets),
  );

  ctx.db.delete(upstreamSignIns).where(lt(upstreamSignIns.expiresAt, now)).run();
  ctx.db
    .insert(upstreamSignIns)
    .values({
      stateHash: hashSecret(secrets.state),
      provider: provider.id,
      browserHash: hashSecret(browserToken),
      codeVerifier: secrets.codeVerifier,
      nonce: secrets.nonce,
      returnTo,
      clientId: approval?.clientId ?? null,
      scope: approval?.scope ?? null,
      expiresAt: now + upstreamSignInTtlMs,
    })
    .run();
  ctx.logger.info('upstream.started', { provider: provider.id, client_id: approval?.clientId });

  const headers = new Headers({ location: location.href, 'cache-control': 'no-store' });
  if (!existing) {
    const secure = ctx.config.secureCookies;
    headers.append(
      'set-cookie',
      serializeCookie(browserCookieName(ctx), browserToken, { secure, sameSite: 'Lax' }),
    );
  }
  return new Response(null, { status: 303, headers });
}

export type TakenSignIn =
  | { kind: 'unknown' }
  | { kind: 'other_browser'; signIn: UpstreamSignIn }
  | { kind: 'bound'; signIn: UpstreamSignIn };

/**
 * Takes the sign-in a callback's `state` names, deleting it whatever happens next: a state is
 * good once (RFC 9700 §4.7.1). Unknown, used, expired or another provider's state is `unknown`;
 * a state this browser did not start is `other_browser`.
 */
export function takeUpstreamSignIn(
  ctx: AppContext,
  providerId: string,
  state: string | null,
  request: Request,
): TakenSignIn {
  if (!state || !tokenPattern.test(state)) return { kind: 'unknown' };

  const signIn = ctx.db
    .delete(upstreamSignIns)
    .where(eq(upstreamSignIns.stateHash, hashSecret(state)))
    .returning()
    .get();
  if (!signIn || signIn.provider !== providerId || signIn.expiresAt <= ctx.now()) {
    return { kind: 'unknown' };
  }

  const browserToken = readBrowserToken(ctx, request);
  const bound =
    browserToken !== undefined && safeEqual(hashSecret(browserToken), signIn.browserHash);
  return bound ? { kind: 'bound', signIn } : { kind: 'other_browser', signIn };
}

function browserCookieName(ctx: AppContext): string {
  return cookieName('folio_browser', ctx.config.secureCookies);
}

function readBrowserToken(ctx: AppContext, request: Request): string | undefined {
  const token = readCookie(request, browserCookieName(ctx));
  return token && tokenPattern.test(token) ? token : undefined;
}
