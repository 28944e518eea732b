import { afterEach, describe, expect, it } from 'bun:test';
import { defaultRateLimits } from '../src/http/rate-limit.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import { postForm } from './support/oauth.ts';

const tight = {
  ...defaultRateLimits,
  register: { perAddress: 3, perSubject: 3 },
  token: { perAddress: 100, perSubject: 2 },
  signin: { perAddress: 100, perSubject: 2 },
};

const registration = {
  redirect_uris: ['http://127.0.0.1:9/cb'],
  token_endpoint_auth_method: 'none',
};

function registerFrom(folio: RunningFolio, forwardedFor?: string) {
  return fetch(`${folio.origin}/register`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(forwardedFor && { 'x-forwarded-for': forwardedFor }),
    },
    body: JSON.stringify(registration),
  });
}

describe('HTTP hardening', () => {
  let folio: RunningFolio | undefined;
  afterEach(() => folio?.close());

  it('forbids framing of every page', async () => {
    folio = await startFolio();
    for (const path of ['/', '/signin', '/signup']) {
      const response = await fetch(`${folio.origin}${path}`);
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('answers 429 with Retry-After once an address has registered too often', async () => {
    folio = await startFolio({ rateLimits: tight });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await registerFrom(folio)).status).toBe(201);
    }
    const limited = await registerFrom(folio);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: string }).error).toBe('temporarily_unavailable');
  });

  it('limits the token endpoint per authenticated client, not per claimed client id', async () => {
    folio = await startFolio({ rateLimits: tight });
    const registered = await fetch(`${folio.origin}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...registration, token_endpoint_auth_method: 'client_secret_post' }),
    });
    const client = (await registered.json()) as { client_id: string; client_secret: string };
    const attempt = (secret: string) =>
      postForm(`${folio?.origin}/token`, {
        grant_type: 'refresh_token',
        refresh_token: 'nope',
        client_id: client.client_id,
        client_secret: secret,
      });

    // Someone who only knows the client id cannot use up the client's allowance.
    for (let flood = 0; flood < 5; flood++) expect((await attempt('guess')).status).toBe(401);
    expect((await attempt(client.client_secret)).status).toBe(400);
    expect((await attempt(client.client_secret)).status).toBe(400);
    expect((await attempt(client.client_secret)).status).toBe(429);
  });

  it('limits sign-in attempts per account with a readable page', async () => {
    folio = await startFolio({ rateLimits: tight });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const page = await fetch(`${folio.origin}/signin`);
      const csrf = /name="csrf_token" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const response = await postForm(
        `${folio.origin}/signin`,
        { email: 'victim@example.com', password: `guess-${attempt}-guess`, csrf_token: csrf },
        { cookie, origin: folio.origin },
      );
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toBeString();
        expect(response.headers.get('content-type')).toContain('text/html');
      }
    }
    expect(statuses).toEqual([401, 401, 429]);
  });

  it('does not let failed sign-ins from one address lock the account out elsewhere', async () => {
    folio = await startFolio({ rateLimits: tight, env: { TRUST_PROXY: '1' } });
    const signIn = async (address: string, password: string) => {
      const headers = { 'x-forwarded-for': address };
      const page = await fetch(`${folio?.origin}/signin`, { headers });
      const csrf = /name="csrf_token" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const response = await fetch(`${folio?.origin}/signin`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          ...headers,
          cookie,
          origin: folio?.origin ?? '',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ email: 'owner@example.com', password, csrf_token: csrf }),
      });
      return response.status;
    };
    const signUp = await fetch(`${folio.origin}/signup`);
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(await signUp.text())?.[1] ?? '';
    const cookie = (signUp.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    await postForm(
      `${folio.origin}/signup`,
      { email: 'owner@example.com', password: 'the owner password', csrf_token: csrf },
      { cookie, origin: folio.origin },
    );

    const attacker = [];
    for (let attempt = 0; attempt < 4; attempt++)
      attacker.push(await signIn('198.51.100.1', 'x'.repeat(9)));
    expect(attacker.at(-1)).toBe(429);
    expect(await signIn('203.0.113.50', 'the owner password')).toBe(303);
  });

  it('counts callers by X-Forwarded-For only behind a trusted proxy', async () => {
    folio = await startFolio({ rateLimits: tight });
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      expect((await registerFrom(folio, address)).status).toBe(201);
    }
    // Not trusted: a forged header does not buy a fresh budget.
    expect((await registerFrom(folio, '10.0.0.4')).status).toBe(429);
    await folio.close();

    folio = await startFolio({ rateLimits: tight, env: { TRUST_PROXY: '1' } });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await registerFrom(folio, '203.0.113.7')).status).toBe(201);
    }
    expect((await registerFrom(folio, '203.0.113.7')).status).toBe(429);
    expect((await registerFrom(folio, '203.0.113.8')).status).toBe(201);
  });
});
