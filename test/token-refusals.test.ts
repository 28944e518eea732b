import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Browser } from './support/browser.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import {
  buildAuthorizationUrl,
  createPkce,
  exchange,
  initialize,
  obtainCode,
  postForm,
  refresh,
  registerPublic,
  signUp,
} from './support/oauth.ts';

describe('authorization and token refusals', () => {
  let folio: RunningFolio;
  let browser: Browser;
  const clock = { offset: 0 };
  beforeAll(async () => {
    folio = await startFolio({ now: () => Date.now() + clock.offset });
    browser = new Browser(folio.origin);
    await signUp(browser);
  });
  afterAll(() => folio.close());

  describe('/token authorization_code', () => {
    it('refuses a wrong code_verifier', async () => {
      const granted = await obtainCode(folio, browser);
      const { response, body } = await exchange(folio, {
        ...granted,
        verifier: createPkce().verifier,
      });
      expect(response.status).toBe(400);
      expect(body.error).toBe('invalid_grant');
      expect(response.headers.get('cache-control')).toBe('no-store');
    });

    it('refuses a reused code and revokes what the first exchange issued', async () => {
      const granted = await obtainCode(folio, browser);
      const first = await exchange(folio, granted);
      expect(first.response.status).toBe(200);

      const second = await exchange(folio, granted);
      expect(second.response.status).toBe(400);
      expect(second.body.error).toBe('invalid_grant');
      expect((await initialize(folio.mcpUrl, first.body.access_token as string)).status).toBe(401);
      const refreshed = await refresh(folio, granted.clientId, first.body.refresh_token as string);
      expect(refreshed.status).toBe(400);
    });

    it('refuses a redirect_uri other than the one authorized', async () => {
      const granted = await obtainCode(folio, browser);
      const { body } = await exchange(folio, {
        ...granted,
        redirectUri: 'http://127.0.0.1:7777/elsewhere',
      });
      expect(body.error).toBe('invalid_grant');
    });

    it('refuses an expired code', async () => {
      const granted = await obtainCode(folio, browser);
      clock.offset += 11 * 60 * 1000;
      try {
        const { body } = await exchange(folio, granted);
        expect(body.error).toBe('invalid_grant');
      } finally {
        clock.offset -= 11 * 60 * 1000;
      }
    });

    it('refuses a foreign resource at the token endpoint', async () => {
      const granted = await obtainCode(folio, browser);
      const { response, body } = await exchange(folio, granted, {
        resource: 'https://other.example/mcp',
      });
      expect(response.status).toBe(400);
      expect(body.error).toBe('invalid_target');
    });

    it('refuses a code issued to another client', async () => {
      const granted = await obtainCode(folio, browser);
      const other = await registerPublic(folio, [granted.redirectUri]);
      const { body } = await exchange(folio, { ...granted, clientId: other.client_id });
      expect(body.error).toBe('invalid_grant');
    });

    it('names the missing parameter', async () => {
      const granted = await obtainCode(folio, browser);
      const { body } = await exchange(folio, { ...granted, verifier: '' });
      expect(body).toEqual({
        error: 'invalid_request',
        error_description: 'code_verifier is required',
      });
    });
  });

  describe('/token refresh_token', () => {
    it('refuses a refresh token of another client', async () => {
      const granted = await obtainCode(folio, browser);
      const { body } = await exchange(folio, granted);
      const other = await registerPublic(folio, ['http://127.0.0.1:7777/callback']);
      const response = await refresh(folio, other.client_id, body.refresh_token as string);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
      // The rightful client can still use it.
      expect((await refresh(folio, granted.clientId, body.refresh_token as string)).status).toBe(
        200,
      );
    });

    it('lets a retry of a rotated refresh token through within the grace window', async () => {
      const granted = await obtainCode(folio, browser);
      const { body } = await exchange(folio, granted);
      const token = body.refresh_token as string;
      const [a, b] = await Promise.all([
        refresh(folio, granted.clientId, token),
        refresh(folio, granted.clientId, token),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      // Both answers carry the same successor: the grant does not fork into two chains.
      const [first, second] = (await Promise.all([a.json(), b.json()])) as {
        refresh_token: string;
      }[];
      expect(first?.refresh_token).toBe(second?.refresh_token as string);
      expect(first?.refresh_token).not.toBe(token);
      expect((await refresh(folio, granted.clientId, first?.refresh_token ?? '')).status).toBe(200);
    });

    it('refuses a refresh that asks for an empty or wider scope', async () => {
      const granted = await obtainCode(folio, browser, { scope: 'documents:read' });
      const { body } = await exchange(folio, granted);
      for (const scope of [' ', 'documents:read documents:write']) {
        const response = await postForm(`${folio.origin}/token`, {
          grant_type: 'refresh_token',
          refresh_token: body.refresh_token as string,
          client_id: granted.clientId,
          scope,
        });
        expect(response.status).toBe(400);
        expect(((await response.json()) as { error: string }).error).toBe('invalid_scope');
      }
    });

    it('revokes the grant when a rotated token is reused after the grace window', async () => {
      const granted = await obtainCode(folio, browser);
      const { body } = await exchange(folio, granted);
      const rotated = await refresh(folio, granted.clientId, body.refresh_token as string);
      const pair = (await rotated.json()) as { access_token: string; refresh_token: string };

      clock.offset += 2 * 60 * 1000;
      try {
        const replay = await refresh(folio, granted.clientId, body.refresh_token as string);
        expect(replay.status).toBe(400);
        expect((await refresh(folio, granted.clientId, pair.refresh_token)).status).toBe(400);
        expect((await initialize(folio.mcpUrl, pair.access_token)).status).toBe(401);
      } finally {
        clock.offset -= 2 * 60 * 1000;
      }
    });
  });

  describe('/authorize', () => {
    const authorize = async (overrides: Record<string, string | undefined>) => {
      const { client_id: clientId } = await registerPublic(folio, ['http://127.0.0.1:7777/cb']);
      const url = buildAuthorizationUrl(folio, {
        clientId,
        redirectUri: 'http://127.0.0.1:7777/cb',
        challenge: createPkce().challenge,
      });
      const target = new URL(url);
      for (const [name, value] of Object.entries(overrides)) {
        if (value === undefined) target.searchParams.delete(name);
        else target.searchParams.set(name, value);
      }
      return fetch(target, { redirect: 'manual', headers: { cookie: browser.cookieHeader() } });
    };
    const redirectError = (response: Response) => {
      const location = new URL(response.headers.get('location') ?? 'http://none.invalid/');
      return {
        error: location.searchParams.get('error'),
        iss: location.searchParams.get('iss'),
        state: location.searchParams.get('state'),
      };
    };

    it('refuses plain PKCE by redirect with iss and state', async () => {
      const response = await authorize({ code_challenge_method: 'plain' });
      expect(redirectError(response)).toEqual({
        error: 'invalid_request',
        iss: folio.origin,
        state: 'state-123',
      });
    });

    it('refuses a missing PKCE challenge', async () => {
      const response = await authorize({
        code_challenge: undefined,
        code_challenge_method: undefined,
      });
      expect(redirectError(response).error).toBe('invalid_request');
    });

    it('refuses response types other than code', async () => {
      const response = await authorize({ response_type: 'token' });
      expect(redirectError(response).error).toBe('unsupported_response_type');
    });

    it('shows a page, never a redirect, for an unknown client', async () => {
      const response = await authorize({ client_id: 'folio_nobody' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toContain('text/html');
    });

    it('shows a page for a redirect URI the client never registered', async () => {
      const response = await authorize({ redirect_uri: 'http://127.0.0.1:7777/other' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    });

    it('redirects a denial as access_denied', async () => {
      const { client_id: clientId } = await registerPublic(folio, ['http://127.0.0.1:7777/cb']);
      const back = await browser.authorize(
        buildAuthorizationUrl(folio, {
          clientId,
          redirectUri: 'http://127.0.0.1:7777/cb',
          challenge: createPkce().challenge,
        }),
        { email: '', password: '' },
        'deny',
      );
      expect(back.searchParams.get('error')).toBe('access_denied');
      expect(back.searchParams.get('code')).toBeNull();
    });

    it('remembers consent per user and client', async () => {
      const first = await obtainCode(folio, browser);
      const again = await fetch(
        buildAuthorizationUrl(folio, {
          clientId: first.clientId,
          redirectUri: first.redirectUri,
          challenge: createPkce().challenge,
        }),
        { redirect: 'manual', headers: { cookie: browser.cookieHeader() } },
      );
      expect(again.status).toBe(302);
      expect(new URL(again.headers.get('location') ?? '').searchParams.get('code')).toBeString();
    });

    it('grants the default scope when none is asked for, and narrows when asked', async () => {
      const wide = await exchange(folio, await obtainCode(folio, browser));
      expect(wide.body.scope).toBe('documents:read documents:write');
      const narrow = await exchange(
        folio,
        await obtainCode(folio, browser, { scope: 'documents:read offline_access' }),
      );
      expect(narrow.body.scope).toBe('documents:read');
    });
  });
});
