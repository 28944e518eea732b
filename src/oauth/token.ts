import { Elysia } from 'elysia';
import type { AppContext } from '../context.ts';
import { OAuthError } from '../http/errors.ts';
import { readAddress } from '../http/request-context.ts';
import type { AccessTokens } from './access-token.ts';
import { authenticateClient } from './client-auth.ts';
import { type Client, isConfidential } from './clients.ts';
import { readForm, requireParam } from './form.ts';
import {
  deriveSuccessor,
  exchangeCode,
  findCode,
  findGrant,
  findRefreshToken,
  type Grant,
  issueRefreshToken,
  markRotated,
  refreshGraceMs,
  revokeGrant,
} from './grants.ts';
import { verifyPkce } from './pkce.ts';
import { isOurResource } from './resource.ts';
import { coversScope, parseScope } from './scope.ts';
import { loadServerSecret } from './server-secret.ts';

/**
 * The token endpoint (RFC 6749 §3.2): authorization_code with PKCE, and refresh_token with
 * rotation. Every answer is `Cache-Control: no-store` (RFC 6749 §5.1).
 */
export function createTokenRoute(ctx: AppContext, accessTokens: AccessTokens) {
  const successorKey = loadServerSecret(ctx.db, 'refresh-token-successor', ctx.now());

  return new Elysia({ name: 'oauth/token' }).post('/token', async ({ request }) => {
    await ctx.rateLimits.consumeAddress('token', readAddress(request), 'json');
    const form = await readForm(request);
    const client = authenticateClient(ctx, request, form);
    // Only a client that proved itself is charged: a public client id is no proof.
    if (isConfidential(client))
      await ctx.rateLimits.consumeSubject('token', client.clientId, 'json');

    const grantType = requireParam(form, 'grant_type');
    if (!client.grantTypes.includes(grantType)) {
      throw grantType === 'authorization_code' || grantType === 'refresh_token'
        ? new OAuthError(
            'unauthorized_client',
            `this client did not register the ${grantType} grant`,
          )
        : new OAuthError(
            'unsupported_grant_type',
            'grant_type must be authorization_code or refresh_token',
          );
    }

    const issued =
      grantType === 'authorization_code'
        ? exchangeAuthorizationCode(ctx, client, form)
        : rotateRefreshToken(ctx, client, form, successorKey);
    return respondWithTokens(accessTokens, issued);
  });
}

function exchangeAuthorizationCode(ctx: AppContext, client: Client, form: URLSearchParams) {
  const code = findCode(ctx.db, requireParam(form, 'code'));
  const verifier = requireParam(form, 'code_verifier');
  const redirectUri = requireParam(form, 'redirect_uri');
  const invalid = (detail: string) =>
    new OAuthError('invalid_grant', 'the authorization code is invalid, expired or already used', {
      detail,
    });

  if (!code || code.clientId !== client.clientId) throw invalid('unknown code or other client');
  if (code.grantId !== null) {
    // RFC 6749 §4.1.2: a code used twice may be stolen; revoke what it produced.
    revokeGrant(ctx.db, code.grantId, ctx.now());
    ctx.logger.warn('code.reuse_detected', { client_id: client.clientId, grant_id: code.grantId });
    throw invalid('code reused');
  }
  if (code.expiresAt <= ctx.now()) throw invalid('code expired');
  if (code.redirectUri !== redirectUri) {
    throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request');
  }
  if (!verifyPkce(verifier, code.codeChallenge)) {
    throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
  }
  checkResource(ctx, form.get('resource'));

  const grant = exchangeCode(ctx.db, code, ctx.now());
  if (!grant) throw invalid('code used concurrently');
  ctx.logger.info('grant.issued', {
    user_id: grant.userId,
    client_id: client.clientId,
    grant_id: grant.id,
  });
  const refreshToken = client.grantTypes.includes('refresh_token')
    ? issueRefreshToken(ctx.db, grant.id, ctx.now(), refreshLifetimeMs(ctx))
    : undefined;
  return { grant, scope: grant.scope, refreshToken };
}

function rotateRefreshToken(
  ctx: AppContext,
  client: Client,
  form: URLSearchParams,
  successorKey: string,
) {
  const secret = requireParam(form, 'refresh_token');
  const presented = findRefreshToken(ctx.db, secret);
  const grant = presented ? findGrant(ctx.db, presented.grantId) : undefined;
  const invalid = (detail: string) =>
    new OAuthError('invalid_grant', 'the refresh token is invalid, expired or revoked', { detail });

  const now = ctx.now();
  if (!presented || !grant || grant.revokedAt !== null) throw invalid('unknown or revoked');
  if (grant.clientId !== client.clientId) throw invalid('refresh token of another client');
  if (presented.expiresAt <= now) throw invalid('expired');

  if (presented.rotatedAt !== null && now - presented.rotatedAt > refreshGraceMs) {
    // OAuth 2.1 §4.3.1 / RFC 9700 §4.14.2: a rotated token used again signals theft.
    revokeGrant(ctx.db, grant.id, now);
    ctx.logger.warn('refresh.reuse_detected', { client_id: client.clientId, grant_id: grant.id });
    throw invalid('reused after the grace window');
  }
  checkResource(ctx, form.get('resource'));

  const requested = form.get('scope');
  if (
    requested !== null &&
    (!parseScope(requested).length || !coversScope(grant.scope, requested))
  ) {
    throw new OAuthError('invalid_scope', `scope may only narrow the grant: ${grant.scope}`);
  }
  const scope = requested !== null ? parseScope(requested).join(' ') : grant.scope;

  markRotated(ctx.db, presented, now);
  const successor = deriveSuccessor(successorKey, secret);
  const refreshToken = issueRefreshToken(ctx.db, grant.id, now, refreshLifetimeMs(ctx), successor);
  ctx.logger.info('token.refreshed', { client_id: client.clientId, grant_id: grant.id });
  return { grant, scope, refreshToken };
}

function refreshLifetimeMs(ctx: AppContext): number {
  return ctx.config.refreshTokenTtlSeconds * 1000;
}

function checkResource(ctx: AppContext, resource: string | null): void {
  if (resource !== null && !isOurResource(resource, ctx.config.mcpUrl)) {
    throw new OAuthError('invalid_target', `resource must be ${ctx.config.mcpUrl}`);
  }
}

type Issued = { grant: Grant; scope: string; refreshToken: string | undefined };

async function respondWithTokens(accessTokens: AccessTokens, issued: Issued): Promise<Response> {
  const access = await accessTokens.issue(issued.grant, issued.scope);
  return Response.json(
    {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      scope: issued.scope,
      ...(issued.refreshToken && { refresh_token: issued.refreshToken }),
    },
    { headers: { 'cache-control': 'no-store', pragma: 'no-cache' } },
  );
}
