import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { users } from '../src/storage/schema.ts';
import { Browser } from './support/browser.ts';
import { countRows } from './support/federated.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';

/**
 * The ID token checks of OpenID Connect Core §3.1.3.7, one rule at a time, against a provider
 * that answers whatever token the test hands it: signature, issuer, audience, expiry, nonce.
 */
const clientId = 'folio-client';
const { privateKey, publicKey } = await generateKeyPair('ES256');
const stranger = await generateKeyPair('ES256');
let nextToken: (asked: { nonce: string }) => Promise<string>;
let issuerOverride: string | undefined;
let lastNonce = '';
let folio: RunningFolio;

const provider = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  async fetch(request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/.well-known/openid-configuration') {
      return Response.json({
        issuer: issuerOverride ?? issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
      });
    }
    if (url.pathname === '/jwks') {
      return Response.json({
        keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }],
      });
    }
    if (url.pathname === '/token') {
      return Response.json({
        access_token: 'at',
        token_type: 'Bearer',
        id_token: await nextToken({ nonce: lastNonce }),
      });
    }
    return new Response('not found', { status: 404 });
  },
});
const issuer: string = `http://127.0.0.1:${provider.port}`;

function sign(claims: JWTPayload, key = privateKey, header = { alg: 'ES256', kid: 'k1' }) {
  const now = Math.floor(Date.now() / 1000);
  const defaults = { iss: issuer, aud: clientId, sub: 'ada', iat: now, exp: now + 300 };
  const email = { email: 'ada@example.com', email_verified: true };
  return new SignJWT({ ...defaults, ...email, ...claims }).setProtectedHeader(header).sign(key);
}

beforeAll(async () => {
  folio = await startFolio({
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: 'secret' },
  });
});
afterAll(async () => {
  await folio.close();
  provider.stop(true);
});
afterEach(() => {
  issuerOverride = undefined;
});

/** Starts a sign-in, plays the provider's redirect back, and returns Folio's answer. */
async function signInWith(token: (asked: { nonce: string }) => Promise<string>) {
  nextToken = token;
  const browser = new Browser(folio.origin);
  const upstream = new URL((await browser.visit(`${folio.origin}/login/oidc`)).url);
  lastNonce = upstream.searchParams.get('nonce') ?? '';
  const state = upstream.searchParams.get('state') ?? '';
  return browser.visit(`${folio.origin}/login/oidc/callback?code=c&state=${state}`);
}

describe('ID token verification', () => {
  it('accepts a token signed by the provider with the right claims', async () => {
    const page = await signInWith(({ nonce }) => sign({ nonce }));
    expect(page.status).toBe(200);
    expect(countRows(folio, users)).toBe(1);
  });

  const refusals: [string, (asked: { nonce: string }) => Promise<string>][] = [
    ['a signature by a key not in the JWKS', ({ nonce }) => sign({ nonce }, stranger.privateKey)],
    ['another issuer', ({ nonce }) => sign({ nonce, iss: 'https://other.example' })],
    ['another audience', ({ nonce }) => sign({ nonce, aud: 'someone-else' })],
    ['an expired token', ({ nonce }) => sign({ nonce, exp: Math.floor(Date.now() / 1000) - 600 })],
    ['a nonce that does not match', () => sign({ nonce: 'not-the-nonce' })],
    ['no nonce', () => sign({})],
    [
      'several audiences without azp',
      ({ nonce }) => sign({ nonce, aud: [clientId, 'someone-else'] }),
    ],
    [
      'alg none',
      async ({ nonce }) => {
        const body = Buffer.from(JSON.stringify({ iss: issuer, aud: clientId, sub: 'x', nonce }));
        const header = Buffer.from('{"alg":"none"}').toString('base64url');
        return `${header}.${body.toString('base64url')}.`;
      },
    ],
  ];
  for (const [name, token] of refusals) {
    it(`refuses ${name}, creating nothing`, async () => {
      const before = countRows(folio, users);
      const page = await signInWith(token);
      expect(page.status).toBe(502);
      expect(page.html).toContain('could not confirm your sign-in');
      expect(countRows(folio, users)).toBe(before);
    });
  }
});

describe('discovery', () => {
  it('refuses a discovery document whose issuer differs from OIDC_ISSUER', async () => {
    const restarted = await startFolio({
      env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: 'secret' },
    });
    issuerOverride = 'https://impostor.example';
    const response = await fetch(`${restarted.origin}/login/oidc`, { redirect: 'manual' });
    expect(response.status).toBe(502);
    expect(await response.text()).toContain('cannot reach');
    await restarted.close();
  });
});
