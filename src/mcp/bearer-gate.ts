import type { Config } from '../config.ts';
import type { AccessTokenVerifier, VerifiedAccessToken } from '../context.ts';
import { RESOURCE_SCOPES } from './scopes.ts';

/**
 * The only way /mcp learns who is calling. Framework-free: it turns a request into the verified
 * token or a finished response. Order matters: the Origin check runs first, so a page on another
 * site cannot even learn whether a token is valid.
 */
export async function checkBearer(
  request: Request,
  verify: AccessTokenVerifier,
  config: Pick<Config, 'issuerUrl' | 'allowedOrigins'>,
): Promise<VerifiedAccessToken | Response> {
  // MCP Streamable HTTP: servers MUST validate Origin to prevent DNS rebinding attacks.
  const origin = request.headers.get('origin');
  if (origin !== null && !isAllowedOrigin(origin, config)) {
    return refuse(request, 403, 'the Origin header names a site that may not call this server');
  }

  const token = readBearerToken(request.headers.get('authorization'));
  if (token === undefined) {
    // RFC 6750 §3.1: a request with no credentials gets a challenge without an error code.
    return refuse(request, 401, 'this endpoint needs an OAuth access token (Bearer)', {
      'WWW-Authenticate': buildChallenge(config.issuerUrl),
    });
  }

  const verified = token === '' ? null : await verify(token);
  if (!verified) {
    // Deliberately vague: expired, revoked and forged tokens look the same from outside.
    return refuse(request, 401, 'the access token is invalid, expired or revoked', {
      'WWW-Authenticate': buildChallenge(config.issuerUrl, 'invalid_token'),
    });
  }
  return verified;
}

/** RFC 9728 §5.1 and RFC 6750 §3: where to find the metadata and which scopes to ask for. */
export function buildChallenge(
  issuerUrl: string,
  error?: 'invalid_token' | 'insufficient_scope',
): string {
  const parts = [
    `resource_metadata="${issuerUrl}/.well-known/oauth-protected-resource/mcp"`,
    `scope="${RESOURCE_SCOPES.join(' ')}"`,
  ];
  if (error) parts.push(`error="${error}"`);
  return `Bearer ${parts.join(', ')}`;
}

function isAllowedOrigin(origin: string, config: Pick<Config, 'issuerUrl' | 'allowedOrigins'>) {
  return origin === config.issuerUrl || config.allowedOrigins.includes(origin);
}

/** undefined: no bearer credentials at all; '' : the scheme was there but the token was not. */
function readBearerToken(header: string | null): string | undefined {
  if (header === null) return undefined;

  const match = /^Bearer(?:\s+(.*))?$/i.exec(header.trim());
  if (!match) return undefined;
  return match[1]?.trim() ?? '';
}

function refuse(
  request: Request,
  status: 401 | 403,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const body =
    request.method === 'HEAD'
      ? null
      : JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null });
  return new Response(body, {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });
}
