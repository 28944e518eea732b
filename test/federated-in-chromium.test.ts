import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, launchChromium } from './support/chromium.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import { buildAuthorizationUrl, createPkce, exchange, registerPublic } from './support/oauth.ts';
import { startOidcUpstream } from './support/oidc-upstream.ts';

/**
 * Sign-in through an OpenID provider in a real browser, with the real cookie rules: the
 * provider runs on `localhost`, another site than Folio's `127.0.0.1`, so the return to Folio
 * is a cross-site navigation and the browser-binding cookie must survive it (SameSite=Lax).
 * Skipped without Chromium, like pages-in-chromium.test.ts.
 */
const skip = !existsSync(chromiumPath) && process.env.CI !== 'true';

describe.skipIf(skip)('sign-in through a provider in headless Chromium', () => {
  let folio: RunningFolio;
  let browser: Browser;
  let upstream: Awaited<ReturnType<typeof startOidcUpstream>>;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  const received: URL[] = [];
  const callback = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(request) {
      received.push(new URL(request.url));
      return new Response('<!doctype html><title>Client</title><p>Connected</p>', {
        headers: { 'content-type': 'text/html' },
      });
    },
  });
  const redirectUri = `http://127.0.0.1:${callback.port}/callback`;

  beforeAll(async () => {
    upstream = await startOidcUpstream(
      [
        { login: 'ada', email: 'ada@example.com' },
        { login: 'victim', email: 'victim@example.com' },
      ],
      'localhost',
    );
    folio = await startFolio({ env: { ...upstream.env, LOCAL_ACCOUNTS: 'off' } });
    await upstream.acceptFolio(folio.origin);
    chrome = await launchChromium();
    browser = chrome.browser;
  }, 30_000);
  afterAll(async () => {
    await chrome?.close();
    callback.stop(true);
    await folio?.close();
    await upstream?.stop();
  });

  /** A fresh browser profile: its own cookie jar, as another person's browser has. */
  async function openPage(): Promise<Page> {
    const context = await browser.newContext();
    return context.newPage();
  }

  async function startAuthorization(page: Page, state: string) {
    const { client_id: clientId } = await registerPublic(folio, [redirectUri]);
    const pkce = createPkce();
    await page.goto(
      buildAuthorizationUrl(folio, { clientId, redirectUri, challenge: pkce.challenge, state }),
    );
    return { clientId, verifier: pkce.verifier };
  }

  async function signInAtProvider(page: Page, login: string) {
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('approves in Folio, signs in at the provider, and returns a code to the client', async () => {
    const page = await openPage();
    const context = page.context();
    const client = await startAuthorization(page, 'chromium-upstream');
    await page.getByRole('heading', { name: /Allow Test client/ }).waitFor();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.origin === upstream.issuer);
    await signInAtProvider(page, 'ada');
    await page.waitForURL((url) => url.pathname === '/callback');

    const back = received.findLast((url) => url.searchParams.get('state') === 'chromium-upstream');
    const { response } = await exchange(folio, {
      ...client,
      redirectUri,
      code: back?.searchParams.get('code') ?? '',
    });
    expect(response.status).toBe(200);
    const cookies = await context.cookies(folio.origin);
    expect(cookies.find((cookie) => cookie.name === 'folio_browser')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
    });
    await context.close();
  }, 30_000);

  it('asks the victim to approve when an attacker sends them the provider link', async () => {
    const attacker = await openPage();
    await startAuthorization(attacker, 'attacker-state');
    await attacker.getByRole('heading', { name: /Allow Test client/ }).waitFor();
    const toProvider = attacker.waitForRequest((request) =>
      request.url().startsWith(`${upstream.issuer}/auth?`),
    );
    await attacker.getByRole('button', { name: 'Allow' }).click();
    const upstreamUrl = (await toProvider).url();

    const victim = await openPage();
    await victim.goto(upstreamUrl);
    await signInAtProvider(victim, 'victim');
    await victim.getByRole('heading', { name: /Allow Test client/ }).waitFor();

    expect(await victim.content()).toContain('could not tie your sign-in to this browser');
    expect(received.some((url) => url.searchParams.get('state') === 'attacker-state')).toBe(false);
    await victim.context().close();
    await attacker.context().close();
  }, 30_000);
});
