import { Elysia } from 'elysia';
import type { AppContext } from '../context.ts';
import type { AccessTokens } from './access-token.ts';
import { supportedAuthMethods } from './clients.ts';
import { documentScopes } from './scope.ts';

/**
 * Discovery documents. None needs a token, none ever answers 401 (a garbage Authorization
 * header is ignored), and the issuer string is byte-identical in all of them (RFC 8414 §3.3).
 */
export function createMetadataRoutes(ctx: AppContext, accessTokens: AccessTokens) {
  const { issuerUrl, mcpUrl } = ctx.config;

  // RFC 8414 §2. Served as OpenID configuration too, for clients that only look there.
  const authorizationServer = {
    issuer: issuerUrl,
    authorization_endpoint: `${issuerUrl}/authorize`,
    token_endpoint: `${issuerUrl}/token`,
    registration_endpoint: `${issuerUrl}/register`,
    revocation_endpoint: `${issuerUrl}/revoke`,
    jwks_uri: `${issuerUrl}/.well-known/jwks.json`,
    scopes_supported: [...documentScopes, 'offline_access'],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: supportedAuthMethods,
    revocation_endpoint_auth_methods_supported: supportedAuthMethods,
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: true,
    service_documentation: `${issuerUrl}/`,
  };

  // RFC 9728 §3. `$U` and `$U/` each get a document whose resource matches byte for byte.
  const protectedResource = (resource: string) => ({
    resource,
    authorization_servers: [issuerUrl],
    scopes_supported: [...documentScopes],
    bearer_methods_supported: ['header'],
    resource_name: 'Folio documents',
    resource_documentation: `${issuerUrl}/`,
  });

  const json = (body: unknown) =>
    Response.json(body, { headers: { 'cache-control': 'public, max-age=300' } });

  return new Elysia({ name: 'oauth/metadata' })
    .get('/.well-known/oauth-authorization-server', () => json(authorizationServer))
    .get('/.well-known/openid-configuration', () => json(authorizationServer))
    .get('/.well-known/oauth-protected-resource', () => json(protectedResource(mcpUrl)))
    .get('/.well-known/oauth-protected-resource/mcp', ({ request }) => {
      // Elysia matches both spellings here; VS Code asks with a slash and wants one back.
      const slashed = new URL(request.url).pathname.endsWith('/');
      return json(protectedResource(slashed ? `${mcpUrl}/` : mcpUrl));
    })
    .get('/.well-known/jwks.json', () => json(accessTokens.jwks));
}
