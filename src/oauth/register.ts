import { Elysia } from 'elysia';
import type { AppContext } from '../context.ts';
import { OAuthError } from '../http/errors.ts';
import { noteClientId, readAddress } from '../http/request-context.ts';
import { hashSecret, randomToken } from '../secrets.ts';
import {
  type Client,
  saveClient,
  supportedAuthMethods,
  type TokenEndpointAuthMethod,
} from './clients.ts';
import { cleanDisplayName } from './display-name.ts';
import { checkRedirectUri } from './redirect-uri.ts';
import { isDocumentScope, parseScope } from './scope.ts';

/**
 * Dynamic client registration (RFC 7591), open to anyone: no initial access token. Real
 * clients' bodies (CLIENTS.md) all register; grant types Folio does not support (VS Code's
 * device-code URN) are dropped from the echoed metadata instead of failing the client.
 */
export function createRegisterRoute(ctx: AppContext) {
  return new Elysia({ name: 'oauth/register' }).post('/register', async ({ request }) => {
    await ctx.rateLimits.consumeAddress('register', readAddress(request), 'json');

    const body = await readJsonObject(request);
    const { client, secret } = buildClient(body, ctx.now());
    saveClient(ctx.db, client);
    noteClientId(request, client.clientId);
    ctx.logger.info('client.registered', {
      client_id: client.clientId,
      auth_method: client.tokenEndpointAuthMethod,
    });

    const response = {
      ...client.metadata,
      ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
    };
    return Response.json(response, {
      status: 201,
      headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
    });
  });
}

async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    throw new OAuthError('invalid_client_metadata', 'the body must be a JSON object');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new OAuthError('invalid_client_metadata', 'the body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function buildClient(body: Record<string, unknown>, now: number) {
  const redirectUris = readRedirectUris(body.redirect_uris);
  const authMethod = readAuthMethod(body.token_endpoint_auth_method);
  const grantTypes = readGrantTypes(body.grant_types);
  readResponseTypes(body.response_types);

  const clientName = readDisplayName(body);
  const scope = readScope(body.scope);
  const clientId = `folio_${randomToken(18)}`;
  const secret = authMethod === 'none' ? undefined : randomToken();

  const metadata: Record<string, unknown> = {
    client_id: clientId,
    client_id_issued_at: Math.floor(now / 1000),
    redirect_uris: redirectUris,
    token_endpoint_auth_method: authMethod,
    grant_types: grantTypes,
    response_types: ['code'],
    ...(clientName !== undefined && { client_name: clientName }),
    ...(scope !== null && { scope }),
  };
  for (const field of ['client_uri', 'logo_uri', 'tos_uri', 'policy_uri'] as const) {
    const value = readOptionalHttpsUrl(body, field);
    if (value !== undefined) metadata[field] = value;
  }
  for (const field of ['application_type', 'software_id', 'software_version'] as const) {
    const value = readOptionalString(body, field, 200);
    if (value !== undefined) metadata[field] = value;
  }

  const client: Client = {
    clientId,
    clientSecretHash: secret ? hashSecret(secret) : null,
    clientName: clientName ?? null,
    redirectUris,
    grantTypes,
    tokenEndpointAuthMethod: authMethod,
    scope,
    metadata,
    createdAt: now,
    registration: 'dynamic',
    preApproved: false,
  };
  return { client, secret };
}

function readDisplayName(body: Record<string, unknown>): string | undefined {
  const name = readOptionalString(body, 'client_name', 200);
  return name === undefined ? undefined : cleanDisplayName(name);
}

function readRedirectUris(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new OAuthError('invalid_redirect_uri', 'redirect_uris must be a non-empty array of URIs');
  }
  if (value.length > 20) {
    throw new OAuthError('invalid_redirect_uri', 'redirect_uris may hold at most 20 URIs');
  }
  return value.map((uri, index) => {
    if (typeof uri !== 'string') {
      throw new OAuthError('invalid_redirect_uri', `redirect_uris[${index}] must be a string`);
    }
    const problem = checkRedirectUri(uri);
    if (problem) throw new OAuthError('invalid_redirect_uri', `redirect_uris[${index}] ${problem}`);
    return uri;
  });
}

function readAuthMethod(value: unknown): TokenEndpointAuthMethod {
  // RFC 7591 §2: the default is client_secret_basic.
  if (value === undefined) return 'client_secret_basic';
  const method = supportedAuthMethods.find((candidate) => candidate === value);
  if (!method) {
    throw new OAuthError(
      'invalid_client_metadata',
      `token_endpoint_auth_method must be one of ${supportedAuthMethods.join(', ')}`,
    );
  }
  return method;
}

function readGrantTypes(value: unknown): string[] {
  if (value === undefined) return ['authorization_code', 'refresh_token'];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new OAuthError('invalid_client_metadata', 'grant_types must be an array of strings');
  }
  const supported = value.filter(
    (item) => item === 'authorization_code' || item === 'refresh_token',
  );
  if (!supported.includes('authorization_code')) {
    throw new OAuthError('invalid_client_metadata', 'grant_types must include authorization_code');
  }
  return [...new Set(supported as string[])];
}

function readResponseTypes(value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || !value.every((item) => item === 'code')) {
    throw new OAuthError('invalid_client_metadata', 'response_types must be ["code"]');
  }
}

function readScope(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    throw new OAuthError('invalid_client_metadata', 'scope must be a space-separated string');
  }
  const known = parseScope(value).filter(isDocumentScope);
  return known.length > 0 ? known.join(' ') : null;
}

function readOptionalString(body: Record<string, unknown>, field: string, max: number) {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > max) {
    throw new OAuthError(
      'invalid_client_metadata',
      `${field} must be a string of at most ${max} characters`,
    );
  }
  return value;
}

/**
 * Display-only links are dropped, not refused, when they are not https: failing a whole
 * registration over a logo would lock a real client out (registration is all-or-nothing).
 */
function readOptionalHttpsUrl(body: Record<string, unknown>, field: string) {
  const value = body[field];
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  try {
    return new URL(value).protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}
