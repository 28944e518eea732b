import { Elysia } from 'elysia';
import type { AppContext } from '../context.ts';
import { ensureCsrfToken, verifyCsrf } from '../http/csrf.ts';
import { PageError } from '../http/errors.ts';
import { noteClientId, readAddress } from '../http/request-context.ts';
import type { IdentityProvider } from '../login/identity-provider.ts';
import { findProvider } from '../login/providers.ts';
import { findSignedInUser } from '../login/session.ts';
import { beginUpstreamSignIn } from '../login/upstream-sign-ins.ts';
import {
  AuthorizationRedirectError,
  type AuthorizationRequest,
  authorizationParams,
  buildRedirect,
  checkAuthorizationRequest,
} from './authorization-request.ts';
import type { ClientResolver } from './client-metadata/resolve.ts';
import { type ConsentViewer, renderConsentPage } from './consent-page.ts';
import { hasConsent, saveConsent } from './consents.ts';
import { issueCode } from './grants.ts';

/**
 * The authorization endpoint (RFC 6749 §3.1, OAuth 2.1 §4.1): sign the person in if needed,
 * ask for consent unless this client was approved before for this scope, then send a
 * single-use code back to the client's redirect URI.
 *
 * Signing in with a provider on behalf of a client goes through `/authorize/via/<provider>`:
 * the browser approves the client there, before Folio sends it upstream, and the approval is
 * bound to that browser (see upstream-sign-ins.ts): the MCP guidance against confused deputies.
 */
export function createAuthorizeRoutes(
  ctx: AppContext,
  resolveClient: ClientResolver,
  providers: readonly IdentityProvider[] = [],
) {
  return new Elysia({ name: 'oauth/authorize' })
    .get('/authorize', ({ request }) => handleAuthorize(ctx, request, resolveClient))
    .get('/authorize/via/:provider', ({ request, params }) =>
      handleApprovalBeforeSignIn(ctx, request, resolveClient, providers, params.provider),
    )
    .post('/authorize/consent', ({ request }) =>
      handleConsent(ctx, request, resolveClient, providers),
    );
}

async function handleAuthorize(
  ctx: AppContext,
  request: Request,
  resolveClient: ClientResolver,
): Promise<Response> {
  const url = new URL(request.url);
  const params = url.searchParams;
  await ctx.rateLimits.consumeAddress('authorize', readAddress(request), 'page');

  return respondToClient(ctx, async () => {
    const authorization = await checkAuthorizationRequest(ctx, params, resolveClient);
    noteClientId(request, authorization.client.clientId);

    const user = findSignedInUser(ctx, request);
    if (!user) return redirectToSignIn(params);

    // An operator-approved client needs no per-user consent; everyone else asks once.
    if (
      authorization.client.preApproved ||
      hasConsent(ctx.db, user.id, authorization.client.clientId, authorization.scope)
    ) {
      return redirectWithCode(ctx, authorization, user.id, 302);
    }

    return renderConsent(ctx, request, authorization, params, { email: user.email });
  });
}

async function handleApprovalBeforeSignIn(
  ctx: AppContext,
  request: Request,
  resolveClient: ClientResolver,
  providers: readonly IdentityProvider[],
  providerId: string,
): Promise<Response> {
  const provider = findProvider(providers, providerId);
  if (!provider) throw new PageError('Not found', 'There is no page at this address.', 404);
  const query = new URL(request.url).searchParams;
  const params = pickAuthorizationParams(query);
  await ctx.rateLimits.consumeAddress('authorize', readAddress(request), 'page');

  return respondToClient(ctx, async () => {
    const authorization = await checkAuthorizationRequest(ctx, params, resolveClient);
    noteClientId(request, authorization.client.clientId);

    if (findSignedInUser(ctx, request)) return redirect(`/authorize?${params}`, 303);
    const askedAgain = query.get('reconsent') === '1';
    // Operator-approved clients skip consent, unless the browser must prove itself again.
    if (authorization.client.preApproved && !askedAgain) {
      return beginUpstreamSignIn(ctx, provider, request, `/authorize?${params}`, null);
    }
    const viewer = { provider: { id: provider.id, name: provider.name }, askedAgain };
    return renderConsent(ctx, request, authorization, params, viewer);
  });
}

function renderConsent(
  ctx: AppContext,
  request: Request,
  authorization: AuthorizationRequest,
  params: URLSearchParams,
  viewer: ConsentViewer,
): Response {
  const csrf = ensureCsrfToken(request, ctx.config.secureCookies);
  const page = renderConsentPage(authorization, params, viewer, csrf.token);
  if (csrf.setCookie) page.headers.append('set-cookie', csrf.setCookie);
  return page;
}

async function handleConsent(
  ctx: AppContext,
  request: Request,
  resolveClient: ClientResolver,
  providers: readonly IdentityProvider[],
): Promise<Response> {
  const form = new URLSearchParams(await request.text());
  verifyCsrf(request, form.get('csrf_token'), ctx.config.issuerUrl, ctx.config.secureCookies);
  const params = pickAuthorizationParams(form);

  return respondToClient(ctx, async () => {
    const authorization = await checkAuthorizationRequest(ctx, params, resolveClient);
    noteClientId(request, authorization.client.clientId);

    const user = findSignedInUser(ctx, request);
    const provider = findProvider(providers, form.get('provider') ?? '');
    if (!user && !provider) return redirectToSignIn(params);

    const decision = form.get('decision');
    if (decision !== 'allow') {
      ctx.logger.info('consent.denied', {
        user_id: user?.id,
        client_id: authorization.client.clientId,
      });
      throw new AuthorizationRedirectError(
        authorization.redirectUri,
        authorization.state,
        'access_denied',
        'the user denied access',
      );
    }

    if (!user && provider) {
      // Saved as the user's consent once the provider says who they are, in this browser only.
      const approval = { clientId: authorization.client.clientId, scope: authorization.scope };
      ctx.logger.info('consent.approved_before_signin', { client_id: approval.clientId });
      return beginUpstreamSignIn(ctx, provider, request, `/authorize?${params}`, approval);
    }
    if (!user) return redirectToSignIn(params);

    saveConsent(ctx.db, user.id, authorization.client.clientId, authorization.scope, ctx.now());
    ctx.logger.info('consent.granted', {
      user_id: user.id,
      client_id: authorization.client.clientId,
      scope: authorization.scope,
    });
    return redirectWithCode(ctx, authorization, user.id, 303);
  });
}

/** Redirect errors go to the client; page errors (thrown before trust) propagate. */
async function respondToClient(
  ctx: AppContext,
  handle: () => Promise<Response>,
): Promise<Response> {
  try {
    return await handle();
  } catch (error) {
    if (!(error instanceof AuthorizationRedirectError)) throw error;
    const location = buildRedirect(error.redirectUri, ctx.config.issuerUrl, {
      error: error.code,
      error_description: error.description,
      state: error.state,
    });
    return redirect(location, 303);
  }
}

function redirectWithCode(
  ctx: AppContext,
  authorization: AuthorizationRequest,
  userId: string,
  status: 302 | 303,
): Response {
  const code = issueCode(
    ctx.db,
    {
      clientId: authorization.client.clientId,
      userId,
      redirectUri: authorization.redirectUri,
      codeChallenge: authorization.codeChallenge,
      resource: authorization.resource,
      scope: authorization.scope,
    },
    ctx.now(),
  );
  ctx.logger.info('code.issued', { user_id: userId, client_id: authorization.client.clientId });

  const location = buildRedirect(authorization.redirectUri, ctx.config.issuerUrl, {
    code,
    state: authorization.state,
  });
  return redirect(location, status);
}

/** Only the authorization request's own parameters, in a stable order. */
function pickAuthorizationParams(source: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of authorizationParams) {
    for (const value of source.getAll(name)) params.append(name, value);
  }
  return params;
}

function redirectToSignIn(params: URLSearchParams): Response {
  const returnTo = `/authorize?${params.toString()}`;
  return redirect(`/signin?return_to=${encodeURIComponent(returnTo)}`, 303);
}

function redirect(location: string, status: number): Response {
  return new Response(null, { status, headers: { location, 'cache-control': 'no-store' } });
}
