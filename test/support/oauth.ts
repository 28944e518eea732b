import type { Browser } from './browser.ts';
import type { RunningFolio } from './folio.ts';

/** Raw OAuth steps, for tests that check one rule at a time. */

export function postForm(url: string, fields: Record<string, string>, headers = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
}

export async function register(folio: RunningFolio, body: Record<string, unknown>) {
  const response = await fetch(`${folio.origin}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

export async function registerPublic(folio: RunningFolio, redirectUris: string[]) {
  const { status, body } = await register(folio, {
    client_name: 'Test client',
    redirect_uris: redirectUris,
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
  });
  if (status !== 201) throw new Error(`registration failed: ${JSON.stringify(body)}`);
  return body as { client_id: string; client_secret?: string };
}

export function createPkce() {
  const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  const challenge = new Bun.CryptoHasher('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

export type AuthorizeOptions = {
  clientId: string;
  redirectUri: string;
  challenge?: string;
  method?: string;
  resource?: string;
  scope?: string;
  state?: string;
  extra?: Record<string, string>;
};

export function buildAuthorizationUrl(folio: RunningFolio, options: AuthorizeOptions): string {
  const url = new URL(`${folio.origin}/authorize`);
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    code_challenge: options.challenge,
    code_challenge_method: options.method ?? (options.challenge ? 'S256' : undefined),
    resource: options.resource,
    scope: options.scope,
    state: options.state ?? 'state-123',
    ...options.extra,
  };
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.href;
}

export const testAccount = { email: 'grace@example.com', password: 'long enough password' };

/** Signs a fresh browser up once, so later authorizations only need consent. */
export async function signUp(browser: Browser, account = testAccount) {
  const page = await browser.visit(`${browser.origin}/signup`);
  const after = await browser.submit(page, account);
  if (after.status >= 400) throw new Error(`sign-up failed: ${after.status}`);
}

/** Registers a public client and runs authorization through consent; returns a code. */
export async function obtainCode(
  folio: RunningFolio,
  browser: Browser,
  options: Partial<AuthorizeOptions> & { redirectUri?: string } = {},
) {
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1:7777/callback';
  const clientId = options.clientId ?? (await registerPublic(folio, [redirectUri])).client_id;
  const pkce = createPkce();
  const back = await browser.authorize(
    buildAuthorizationUrl(folio, { ...options, clientId, redirectUri, challenge: pkce.challenge }),
    testAccount,
  );
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code: ${back.href}`);
  return { code, clientId, redirectUri, verifier: pkce.verifier, redirect: back };
}

export async function exchange(
  folio: RunningFolio,
  grant: { code: string; clientId: string; redirectUri: string; verifier: string },
  extra: Record<string, string> = {},
) {
  const response = await postForm(`${folio.origin}/token`, {
    grant_type: 'authorization_code',
    code: grant.code,
    client_id: grant.clientId,
    redirect_uri: grant.redirectUri,
    code_verifier: grant.verifier,
    ...extra,
  });
  return { response, body: (await response.json()) as Record<string, string> };
}

export function refresh(folio: RunningFolio, clientId: string, refreshToken: string) {
  return postForm(`${folio.origin}/token`, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: clientId,
  });
}

export function initialize(mcpUrl: string, accessToken: string) {
  return fetch(mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'raw', version: '1' },
      },
    }),
  });
}
