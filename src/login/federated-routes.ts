import { Elysia } from 'elysia';
import type { AppContext } from '../context.ts';
import { PageError } from '../http/errors.ts';
import { readAddress } from '../http/request-context.ts';
import { saveConsent } from '../oauth/consents.ts';
import { resolveIdentity } from './identities.ts';
import type { IdentityProvider } from './identity-provider.ts';
import { buildProviderPath, findProvider } from './providers.ts';
import { readReturnTo } from './return-to.ts';
import { startSession } from './session.ts';
import type { PolicyRefusal } from './sign-in-policy.ts';
import { callUpstream } from './upstream-call.ts';
import { beginUpstreamSignIn, takeUpstreamSignIn } from './upstream-sign-ins.ts';

/**
 * Sign-in through Google or an OpenID provider: `/login/<id>` sends the browser upstream and
 * `/login/<id>/callback` brings it back. Google's and the provider's tokens are used once, to
 * learn who signed in, and never stored.
 */
export function createFederatedRoutes(ctx: AppContext, providers: readonly IdentityProvider[]) {
  const requireProvider = (id: string) => {
    const provider = findProvider(providers, id);
    if (!provider) throw new PageError('Not found', 'There is no page at this address.', 404);
    return provider;
  };

  return new Elysia()
    .get('/login/:provider', async ({ request, params, query }) => {
      const provider = requireProvider(params.provider);
      const returnTo = readReturnTo(query.return_to, ctx.config.issuerUrl);
      // On behalf of an MCP client, the browser approves the client first.
      if (returnTo.startsWith('/authorize?')) {
        return redirectSeeOther(buildProviderPath(provider.id, returnTo));
      }
      await ctx.rateLimits.consumeAddress('signin', readAddress(request), 'page');
      return beginUpstreamSignIn(ctx, provider, request, returnTo, null);
    })
    .get('/login/:provider/callback', async ({ request, params }) => {
      const provider = requireProvider(params.provider);
      await ctx.rateLimits.consumeAddress('signin', readAddress(request), 'page');
      return finishUpstreamSignIn(ctx, provider, request);
    });
}

async function finishUpstreamSignIn(
  ctx: AppContext,
  provider: IdentityProvider,
  request: Request,
): Promise<Response> {
  const query = new URL(request.url).searchParams;
  const taken = takeUpstreamSignIn(ctx, provider.id, query.get('state'), request);

  if (taken.kind === 'unknown') {
    ctx.logger.info('upstream.refused', { provider: provider.id, reason: 'unknown_state' });
    throw new PageError(
      'Sign-in link expired',
      'This sign-in link has expired or was already used. Start again from the sign-in page.',
    );
  }
  const { signIn } = taken;
  if (taken.kind === 'other_browser') {
    ctx.logger.info('upstream.refused', { provider: provider.id, reason: 'other_browser' });
    // An embedded sign-in view may drop cookies: ask this browser for its own approval.
    if (signIn.returnTo.startsWith('/authorize?')) {
      return redirectSeeOther(`${buildProviderPath(provider.id, signIn.returnTo)}&reconsent=1`);
    }
    throw new PageError(
      'Sign-in not finished',
      'This browser did not start this sign-in, so Folio did not sign it in. ' +
        'Start again from the sign-in page.',
    );
  }

  const upstreamError = query.get('error');
  if (upstreamError !== null) throw explainUpstreamError(ctx, provider, upstreamError);
  const code = query.get('code');
  if (!code) {
    throw new PageError('Sign-in failed', `${provider.name} sent Folio back without a code.`);
  }

  const identity = await callUpstream(
    ctx,
    provider,
    {
      title: 'Sign-in failed',
      explanation: `Folio could not confirm your sign-in with ${provider.name}. Try again in a moment.`,
    },
    () => provider.verifySignIn(code, signIn),
  );

  const outcome = resolveIdentity(ctx.db, ctx.config, identity, ctx.now());
  if (outcome.kind === 'refused') {
    ctx.logger.info('signin.refused', { provider: provider.id, reason: outcome.reason });
    throw new PageError('Sign-in refused', describeRefusal(outcome.reason, provider), 403);
  }

  const { account } = outcome;
  const sessionCookie = await startSession(ctx, account.id, request);
  ctx.logger.info(outcome.created ? 'signup' : 'signin.succeeded', {
    user_id: account.id,
    provider: provider.id,
    linked: outcome.linked,
  });
  if (signIn.clientId && signIn.scope) {
    // Approved in this very browser before it left for the provider.
    saveConsent(ctx.db, account.id, signIn.clientId, signIn.scope, ctx.now());
    ctx.logger.info('consent.granted', {
      user_id: account.id,
      client_id: signIn.clientId,
      scope: signIn.scope,
    });
  }
  return redirectSeeOther(signIn.returnTo, sessionCookie);
}

function explainUpstreamError(
  ctx: AppContext,
  provider: IdentityProvider,
  error: string,
): PageError {
  // Only a well-formed RFC 6749 §4.1.2.1 code is echoed; the description is not shown at all.
  const code = /^[a-z_]{1,64}$/.test(error) ? error : 'unrecognised_error';
  ctx.logger.info('upstream.error', { provider: provider.id, error: code });
  if (code === 'access_denied') {
    return new PageError(
      'Sign-in cancelled',
      `You did not allow Folio to use your ${provider.name} account, ` +
        'so you are not signed in and nothing was shared.',
      403,
    );
  }
  return new PageError(
    'Sign-in failed',
    `${provider.name} could not sign you in (${code}). ` +
      'Try again, or ask the person who runs Folio.',
    502,
  );
}

function describeRefusal(reason: PolicyRefusal, provider: IdentityProvider): string {
  switch (reason) {
    case 'email_unverified':
      return (
        `${provider.name} has not verified your email address, so Folio cannot use it. ` +
        `Verify it with ${provider.name} and try again.`
      );
    case 'email_not_allowed':
      return (
        'This Folio server is not open to your email address. ' +
        'Ask the person who runs it to add you.'
      );
    case 'signup_closed':
      return 'This Folio server does not accept new accounts. Ask the person who runs it for one.';
  }
}

function redirectSeeOther(location: string, setCookie?: string): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  if (setCookie) headers.append('set-cookie', setCookie);
  return new Response(null, { status: 303, headers });
}
