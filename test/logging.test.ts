import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { createLogger } from '../src/log.ts';
import { Browser } from './support/browser.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import {
  exchange,
  initialize,
  obtainCode,
  refresh,
  register,
  signUp,
  testAccount,
} from './support/oauth.ts';

describe('logging', () => {
  const lines: string[] = [];
  let folio: RunningFolio;
  beforeAll(async () => {
    folio = await startFolio({ logger: createLogger('debug', (line) => lines.push(line)) });
  });
  afterAll(() => folio.close());

  it('writes JSON lines for requests and security events without any secret in them', async () => {
    const browser = new Browser(folio.origin);
    await signUp(browser);
    const secretClient = await register(folio, {
      redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    const granted = await obtainCode(folio, browser);
    const { body } = await exchange(folio, granted);
    await initialize(folio.mcpUrl, body.access_token as string);
    const rotated = await (
      await refresh(folio, granted.clientId, body.refresh_token as string)
    ).json();

    const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const names = new Set(events.map((event) => event.event));
    for (const name of [
      'request',
      'signup',
      'consent.granted',
      'code.issued',
      'grant.issued',
      'token.refreshed',
    ]) {
      expect(names).toContain(name);
    }
    const tokenRequest = events.find(
      (event) => event.event === 'request' && event.route === '/token',
    );
    expect(tokenRequest).toMatchObject({
      method: 'POST',
      status: 200,
      client_id: granted.clientId,
    });
    expect(tokenRequest?.duration_ms).toBeNumber();

    const secrets = [
      granted.code,
      granted.verifier,
      body.access_token,
      body.refresh_token,
      rotated.access_token,
      rotated.refresh_token,
      secretClient.body.client_secret,
      testAccount.password,
    ];
    const everything = lines.join('\n');
    for (const secret of secrets) {
      expect(secret).toBeString();
      expect(everything.includes(secret as string)).toBe(false);
    }
  });
});
