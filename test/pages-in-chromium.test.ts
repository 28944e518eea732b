import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromiumPath, launchChromium } from './support/chromium.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import { buildAuthorizationUrl, createPkce, exchange, registerPublic } from './support/oauth.ts';

/**
 * Folio's pages in a real browser: sign-up, consent and the redirect back to the client, with
 * the real cookie rules, CSP and form posts. `.ci/run` installs Debian's chromium; elsewhere,
 * without it, this suite is skipped (in CI it is never skipped).
 */
const skip = !existsSync(chromiumPath) && process.env.CI !== 'true';
if (skip) console.warn(`skipping Chromium page tests: no browser at ${chromiumPath}`);

describe.skipIf(skip)('pages in headless Chromium', () => {
  let folio: RunningFolio;
  let browser: Browser;
  const received: URL[] = [];
  const callback = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(request) {
      received.push(new URL(request.url));
      return new Response('<!doctype html><title>Client</title><p>Signed in</p>', {
        headers: { 'content-type': 'text/html' },
      });
    },
  });

  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    folio = await startFolio();
    chrome = await launchChromium();
    browser = chrome.browser;
  }, 30_000);
  afterAll(async () => {
    await chrome?.close();
    callback.stop(true);
    await folio?.close();
  });

  it('signs up, shows consent, and returns the code to the redirect URI', async () => {
    const redirectUri = `http://127.0.0.1:${callback.port}/callback`;
    const { client_id: clientId } = await registerPublic(folio, [redirectUri]);
    const pkce = createPkce();
    const page = await openPage(browser);

    await page.goto(
      buildAuthorizationUrl(folio, {
        clientId,
        redirectUri,
        challenge: pkce.challenge,
        state: 'from-chromium',
      }),
    );
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.getByRole('link', { name: 'Create one' }).click();
    await page.getByLabel('Email').fill('chromium@example.com');
    await page.getByLabel('Password').fill('a password for chromium');
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.getByRole('heading', { name: /Allow Test client/ }).waitFor();
    expect(await page.content()).toContain(`127.0.0.1:${callback.port}`);
    // The inline stylesheet is allowed by the page's CSP: the primary button is styled.
    const background = await page
      .getByRole('button', { name: 'Allow' })
      .evaluate((button) => getComputedStyle(button).backgroundColor);
    expect(background).toBe('rgb(59, 91, 219)');

    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.pathname === '/callback');

    // Chromium asks the callback server for /favicon.ico too; take the callback itself.
    const back = received.findLast((url) => url.pathname === '/callback') as URL;
    expect(back.searchParams.get('state')).toBe('from-chromium');
    expect(back.searchParams.get('iss')).toBe(folio.origin);
    const { response } = await exchange(folio, {
      code: back.searchParams.get('code') ?? '',
      clientId,
      redirectUri,
      verifier: pkce.verifier,
    });
    expect(response.status).toBe(200);

    const cookies = await page.context().cookies(folio.origin);
    const session = cookies.find((cookie) => cookie.name === 'folio_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.close();
  }, 30_000);

  it('refuses to show the consent page inside a frame of another site', async () => {
    const page = await openPage(browser);
    const { client_id: clientId } = await registerPublic(folio, ['http://127.0.0.1:9/cb']);
    const target = buildAuthorizationUrl(folio, {
      clientId,
      redirectUri: 'http://127.0.0.1:9/cb',
      challenge: createPkce().challenge,
    });
    await page.goto(`http://127.0.0.1:${callback.port}/`);
    await page.setContent(`<iframe src="${target}" width="600" height="400"></iframe>`);
    await page.waitForTimeout(500);

    const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
    const framedText = await frame
      ?.evaluate(() => document.body?.textContent ?? '')
      .catch(() => '');
    expect(framedText ?? '').not.toContain('Folio');
    await page.close();
  }, 30_000);
});

/** A tab in the browser's default context (the one connected over CDP comes with it). */
function openPage(browser: Browser) {
  const [context] = browser.contexts();
  if (!context) throw new Error('Chromium has no default browser context');
  return context.newPage();
}
