import { Elysia } from 'elysia';
import type { AppContext } from '../context.ts';
import type { AccessTokens } from './access-token.ts';
import { authenticateClient } from './client-auth.ts';
import { readForm, requireParam } from './form.ts';
import { findGrant, findRefreshToken, revokeGrant } from './grants.ts';

/**
 * Token revocation (RFC 7009). Revoking either kind of token ends the whole grant, so the
 * refresh token and every access token from it stop working. Unknown tokens, and tokens of
 * other clients, get the same empty 200: a different answer would tell a caller whether
 * someone else's token is live.
 */
export function createRevokeRoute(ctx: AppContext, accessTokens: AccessTokens) {
  return new Elysia({ name: 'oauth/revoke' }).post('/revoke', async ({ request }) => {
    const form = await readForm(request);
    const client = authenticateClient(ctx, request, form);
    const token = requireParam(form, 'token');

    const grantId = await findGrantOf(ctx, accessTokens, token, form.get('token_type_hint'));
    const grant = grantId ? findGrant(ctx.db, grantId) : undefined;
    if (grant && grant.clientId === client.clientId && revokeGrant(ctx.db, grant.id, ctx.now())) {
      ctx.logger.info('grant.revoked', {
        client_id: client.clientId,
        grant_id: grant.id,
        by: 'client',
      });
    }
    return new Response(null, { status: 200, headers: { 'cache-control': 'no-store' } });
  });
}

async function findGrantOf(
  ctx: AppContext,
  accessTokens: AccessTokens,
  token: string,
  hint: string | null,
): Promise<string | undefined> {
  const asRefresh = () => findRefreshToken(ctx.db, token)?.grantId;
  const asAccess = async () => (await accessTokens.readClaims(token))?.grantId;

  // RFC 7009 §2.1: the hint only decides which lookup goes first.
  if (hint === 'access_token') return (await asAccess()) ?? asRefresh();
  return asRefresh() ?? (await asAccess());
}
