import { Browser } from '../test/support/browser.ts';

/**
 * The real OAuth flow, as a client and a person's browser run it: dynamic registration, sign-in
 * and consent through Folio's pages, and the PKCE code exchange. Refresh rotates the token.
 */

export type Account = { email: string; password: string; signUp?: boolean };

export type TokenSet = { clientId: string; accessToken: string; refreshToken: string };

const redirectUri = 'http://127.0.0.1:7777/callback';

export async function obtainTokens(
  origin: string,
  browser: Browser,
  account: Account,
): Promise<TokenSet> {
  const clientId = await registerClient(origin);
  const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  const challenge = new Bun.CryptoHasher('sha256').update(verifier).digest('base64url');

  const url = new URL(`${origin}/authorize`);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    resource: `${origin}/mcp`,
    state: 'bench',
  })) {
    url.searchParams.set(name, value);
  }
  const back = await browser.authorize(url.href, account);
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`authorization returned no code: ${back.href}`);

  return requestTokens(origin, {
    grant_type: 'authorization_code',
    code,
    client_id: clientId,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  }).then((tokens) => ({ clientId, ...tokens }));
}

export async function refreshTokens(origin: string, tokens: TokenSet): Promise<TokenSet> {
  const next = await requestTokens(origin, {
    grant_type: 'refresh_token',
    refresh_token: tokens.refreshToken,
    client_id: tokens.clientId,
  });
  return { clientId: tokens.clientId, ...next };
}

async function registerClient(origin: string): Promise<string> {
  const response = await fetch(`${origin}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Folio bench',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
    }),
  });
  const body = (await response.json()) as { client_id?: unknown };
  if (response.status !== 201 || typeof body.client_id !== 'string') {
    throw new Error(`registration failed (${response.status}): ${JSON.stringify(body)}`);
  }
  return body.client_id;
}

async function requestTokens(origin: string, fields: Record<string, string>) {
  const response = await fetch(`${origin}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const body = (await response.json()) as { access_token?: unknown; refresh_token?: unknown };
  if (typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string') {
    throw new Error(`token request failed (${response.status}): ${JSON.stringify(body)}`);
  }
  return { accessToken: body.access_token, refreshToken: body.refresh_token };
}

export { Browser };
