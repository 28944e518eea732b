import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Browser } from './support/browser.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';

describe('hostile input on pages', () => {
  let folio: RunningFolio;
  beforeAll(async () => {
    folio = await startFolio();
  });
  afterAll(() => folio.close());

  it('treats a malformed cookie as no cookie instead of failing', async () => {
    for (const cookie of ['folio_session=%E0%A4%A', 'folio_csrf=%']) {
      for (const path of ['/', '/signin', '/documents/x']) {
        const response = await fetch(`${folio.origin}${path}`, {
          headers: { cookie, accept: 'text/html' },
        });
        expect(response.status).toBeLessThan(500);
      }
    }
  });

  it('keeps a non-ASCII return_to usable in the Location header after sign-up', async () => {
    const browser = new Browser(folio.origin);
    const page = await browser.visit(`${folio.origin}/signup?return_to=%2F%E3%80%80`);
    const form = /name="csrf_token" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
    const response = await fetch(`${folio.origin}/signup`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: browser.cookieHeader(),
        origin: folio.origin,
      },
      body: new URLSearchParams({
        csrf_token: form,
        email: 'unicode@example.com',
        password: 'a long enough password',
        return_to: '/\u3000',
      }),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/%E3%80%80');
  });
});
