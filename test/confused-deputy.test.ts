import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { authorizationCodes, users } from '../src/storage/schema.ts';
import { Browser } from './support/browser.ts';
import { allow, countRows, googleCredentials, googleEnv } from './support/federated.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import { interceptGoogle } from './support/google-edge.ts';
import {
  buildAuthorizationUrl,
  createPkce,
  exchange,
  register,
  registerPublic,
} from './support/oauth.ts';

/**
 * Folio signs people in through one Google client on behalf of every MCP client: the confused
 * deputy of the MCP security guidance. Before the browser goes to Google for a client, it
 * approves that client on Folio's consent page, and the approval counts only in that browser.
 */
let edge: Awaited<ReturnType<typeof interceptGoogle>>;
let folio: RunningFolio;

beforeAll(async () => {
  edge = await interceptGoogle(googleCredentials);
});
afterAll(() => edge.restore());
afterEach(() => folio?.close());

const victim = { sub: '42', email: 'victim@example.com' };

async function start() {
  folio = await startFolio({ env: { ...googleEnv, LOCAL_ACCOUNTS: 'off' } });
}

async function authorizationFor(redirectUri: string, clientId?: string) {
  const id = clientId ?? (await registerPublic(folio, [redirectUri])).client_id;
  const pkce = createPkce();
  const url = buildAuthorizationUrl(folio, {
    clientId: id,
    redirectUri,
    challenge: pkce.challenge,
    state: 'client-state',
  });
  return { url, clientId: id, redirectUri, verifier: pkce.verifier };
}

describe('consent before going upstream', () => {
  it('names the client and where it returns before any redirect to Google', async () => {
    await start();
    const { url } = await authorizationFor('https://evil.example/callback');
    const page = await new Browser(folio.origin).visit(url);

    expect(new URL(page.url).pathname).toBe('/authorize/via/google');
    expect(page.html).toContain('Allow Test client to use your documents?');
    expect(page.html).toContain('evil.example');
    expect(page.html).toContain('sign in with <strong>Google</strong>');
    expect(page.html).toContain('Search and read your documents');
  });

  it('will not send a browser to Google for a client through /login/google directly', async () => {
    await start();
    const { url } = await authorizationFor('https://evil.example/callback');
    const returnTo = url.slice(folio.origin.length);
    const page = await new Browser(folio.origin).visit(
      `${folio.origin}/login/google?return_to=${encodeURIComponent(returnTo)}`,
    );

    expect(new URL(page.url).pathname).toBe('/authorize/via/google');
    expect(page.html).toContain('name="decision"');
  });

  it('marks a client that returns only to localhost', async () => {
    await start();
    const { url } = await authorizationFor('http://127.0.0.1:7777/callback');
    const page = await new Browser(folio.origin).visit(url);
    expect(page.html).toContain('returns only to localhost');
  });

  it('cannot be framed', async () => {
    await start();
    const { url } = await authorizationFor('http://127.0.0.1:7777/callback');
    const browser = new Browser(folio.origin);
    const via = (await browser.visit(url)).url;
    const response = await fetch(via, { headers: { cookie: browser.cookieHeader() } });

    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('keeps its form valid after a second GET of the page (prefetch)', async () => {
    await start();
    const { url } = await authorizationFor('http://127.0.0.1:7777/callback');
    const browser = new Browser(folio.origin);
    const first = await browser.visit(url);
    await browser.visit(first.url);

    const next = await allow(browser, first);
    expect(new URL(next.url).origin).toBe('https://accounts.google.com');
  });

  it('sends a denial back to the client as access_denied without going to Google', async () => {
    await start();
    const { url } = await authorizationFor('http://127.0.0.1:7777/callback');
    const browser = new Browser(folio.origin);
    const page = await browser.submit(await browser.visit(url), {}, ['decision', 'deny']);

    const back = new URL(page.url);
    expect(back.origin).toBe('http://127.0.0.1:7777');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('client-state');
  });

  it('skips the page for a client the operator pre-approved', async () => {
    await start();
    const { body } = await register(folio, {
      client_name: 'Team tool',
      redirect_uris: ['http://127.0.0.1:7777/callback'],
      token_endpoint_auth_method: 'none',
    });
    folio.storage.sqlite.run('UPDATE clients SET pre_approved = 1 WHERE client_id = ?', [
      body.client_id ?? '',
    ]);
    const { url } = await authorizationFor('http://127.0.0.1:7777/callback', body.client_id);

    const page = await new Browser(folio.origin).visit(url);
    expect(new URL(page.url).origin).toBe('https://accounts.google.com');
  });
});

describe('the confused deputy', () => {
  it('gives no code to the client when the approval was made in another browser', async () => {
    await start();
    // The attacker approves their own client in their browser and keeps the Google URL.
    const attacker = new Browser(folio.origin);
    const attack = await authorizationFor('https://evil.example/callback');
    const upstream = await allow(attacker, await attacker.visit(attack.url));
    expect(new URL(upstream.url).origin).toBe('https://accounts.google.com');

    // The victim opens it; Google signs them in and sends their browser back to Folio.
    const victimBrowser = new Browser(folio.origin);
    const page = await victimBrowser.visit(edge.approve(upstream.url, victim));

    expect(new URL(page.url).origin).toBe(folio.origin);
    expect(page.html).toContain('could not tie your sign-in to this browser');
    expect(page.html).toContain('Allow Test client to use your documents?');
    expect(countRows(folio, authorizationCodes)).toBe(0);
    expect(countRows(folio, users)).toBe(0);
    expect(victimBrowser.cookieHeader()).not.toContain('folio_session');
  });

  it('asks again in a browser that dropped its cookies, then completes there', async () => {
    await start();
    const client = await authorizationFor('http://127.0.0.1:7777/callback');
    const first = new Browser(folio.origin);
    const upstream = await allow(first, await first.visit(client.url));
    const back = edge.approve(upstream.url, victim);

    // An embedded sign-in view comes back without Folio's cookies.
    const embedded = new Browser(folio.origin);
    const again = await embedded.visit(back);
    expect(again.html).toContain('could not tie your sign-in to this browser');

    const secondUpstream = await allow(embedded, again);
    const done = await embedded.visit(edge.approve(secondUpstream.url, victim));
    const redirect = new URL(done.url);
    expect(redirect.origin).toBe('http://127.0.0.1:7777');
    expect(redirect.searchParams.get('state')).toBe('client-state');

    const { response } = await exchange(folio, {
      ...client,
      code: redirect.searchParams.get('code') ?? '',
    });
    expect(response.status).toBe(200);
  });

  it('completes in the browser that approved, straight to the client with a code', async () => {
    await start();
    const client = await authorizationFor('http://127.0.0.1:7777/callback');
    const browser = new Browser(folio.origin);
    const upstream = await allow(browser, await browser.visit(client.url));
    const done = await browser.visit(edge.approve(upstream.url, victim));

    const redirect = new URL(done.url);
    expect(redirect.origin).toBe('http://127.0.0.1:7777');
    expect(redirect.searchParams.get('iss')).toBe(folio.origin);
    const { response } = await exchange(folio, {
      ...client,
      code: redirect.searchParams.get('code') ?? '',
    });
    expect(response.status).toBe(200);
  });
});
