import { jwt } from '@elysiajs/jwt';
import type { AccessTokenVerifier, AppContext, VerifiedAccessToken } from '../context.ts';
import { randomToken } from '../secrets.ts';
import { findGrant, type Grant } from './grants.ts';
import { loadSigningKey } from './signing-keys.ts';

export type AccessTokens = {
  issue(grant: Grant, scope: string): Promise<{ token: string; expiresIn: number }>;
  verify: AccessTokenVerifier;
  /** Signature, issuer and audience only: for revocation, where expiry and grant don't matter. */
  readClaims(token: string): Promise<{ clientId: string; grantId: string } | null>;
  jwks: { keys: JsonWebKey[] };
};

type Claims = {
  sub?: string;
  client_id?: unknown;
  scope?: unknown;
  grant_id?: unknown;
  exp?: number;
};

/**
 * Access tokens are RFC 9068 JWTs signed with the persisted ES256 key through @elysiajs/jwt:
 * `aud` is the MCP URL, so a token minted for Folio is refused anywhere else and vice versa.
 * Verifying also checks the grant is live, so revocation takes effect at once, not at expiry.
 */
export async function createAccessTokens(ctx: AppContext): Promise<AccessTokens> {
  const { config, db } = ctx;
  const key = await loadSigningKey(db, ctx.now());

  const signer = jwt({
    name: 'accessToken',
    secret: key.privateKey,
    alg: key.alg,
    kid: key.kid,
    typ: 'at+jwt',
  }).decorator.accessToken;
  const verifier = jwt({ name: 'accessToken', secret: key.publicKey, alg: key.alg }).decorator
    .accessToken;
  const verifyOptions = {
    issuer: config.issuerUrl,
    audience: config.mcpUrl,
    algorithms: [key.alg],
    typ: 'at+jwt',
  };

  // Signature checks cost hundreds of microseconds; a token whose signature was checked once
  // is remembered by its exact string. Expiry and the grant are still checked on every use.
  const verified = new Map<string, Claims>();
  const maxRemembered = 10_000;

  async function readVerified(token: string): Promise<Claims | null> {
    if (token.length > 4096) return null;
    const known = verified.get(token);
    if (known) return known;

    const claims = ((await verifier.verify(token, verifyOptions)) || null) as Claims | null;
    if (claims) {
      if (verified.size >= maxRemembered) verified.delete(verified.keys().next().value as string);
      verified.set(token, claims);
    }
    return claims;
  }

  return {
    async issue(grant, scope) {
      const issuedAt = Math.floor(ctx.now() / 1000);
      const expiresIn = config.accessTokenTtlSeconds;
      const token = await signer.sign({
        iss: config.issuerUrl,
        sub: grant.userId,
        aud: config.mcpUrl,
        client_id: grant.clientId,
        scope,
        grant_id: grant.id,
        jti: randomToken(16),
        iat: issuedAt,
        exp: issuedAt + expiresIn,
      } as never);
      return { token, expiresIn };
    },

    async verify(token) {
      const claims = await readVerified(token);
      if (!claims || typeof claims.sub !== 'string' || typeof claims.grant_id !== 'string') {
        return null;
      }
      if (typeof claims.client_id !== 'string' || typeof claims.scope !== 'string') return null;
      if (typeof claims.exp !== 'number' || claims.exp * 1000 <= ctx.now()) return null;

      const grant = findGrant(db, claims.grant_id);
      if (!grant || grant.revokedAt !== null || grant.userId !== claims.sub) return null;

      const verified: VerifiedAccessToken = {
        userId: claims.sub,
        clientId: claims.client_id,
        grantId: claims.grant_id,
        scopes: claims.scope.split(' ').filter(Boolean),
        expiresAt: claims.exp,
      };
      return verified;
    },

    async readClaims(token) {
      const claims = await verifier.verify(token, { ...verifyOptions, currentDate: new Date(0) });
      if (!claims || typeof claims.client_id !== 'string' || typeof claims.grant_id !== 'string') {
        return null;
      }
      return { clientId: claims.client_id, grantId: claims.grant_id };
    },

    jwks: { keys: [key.publicJwk] },
  };
}
