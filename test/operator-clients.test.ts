import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { join } from 'node:path';
import { Browser } from './support/browser.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import {
  buildAuthorizationUrl,
  createPkce,
  exchange,
  initialize,
  obtainCode,
  postForm,
  signUp,
} from './support/oauth.ts';

const cli = join(import.meta.dir, '..', 'src', 'cli', 'folio.ts');

describe('bun run folio clients', () => {
  let folio: RunningFolio;
  const folio_ = (args: string[]) => {
    const result = Bun.spawnSync(['bun', cli, 'clients', ...args], {
      env: { ...process.env, DATABASE_PATH: folio.databasePath },
    });
    return { code: result.exitCode, out: result.stdout.toString(), err: result.stderr.toString() };
  };
  beforeAll(async () => {
    folio = await startFolio();
  });
  afterAll(() => folio.close());

  it('adds a confidential client whose secret is printed once and works at /token', async () => {
    const added = folio_([
      'add',
      '--name',
      'Claude (advanced settings)',
      '--redirect-uri',
      'https://claude.ai/api/mcp/auth_callback',
    ]);
    expect(added.code).toBe(0);
    const clientId = /client_id: (\S+)/.exec(added.out)?.[1] ?? '';
    const secret = /client_secret: (\S+)/.exec(added.out)?.[1] ?? '';
    expect(clientId).toStartWith('folio_');
    expect(secret.length).toBeGreaterThan(30);
    expect(folio_(['list']).out).not.toContain(secret);

    const browser = new Browser(folio.origin);
    await signUp(browser);
    const redirectUri = 'https://claude.ai/api/mcp/auth_callback';
    const granted = await obtainCode(folio, browser, { clientId, redirectUri });
    const withoutSecret = await exchange(folio, granted);
    expect(withoutSecret.response.status).toBe(401);

    const again = await obtainCode(folio, browser, { clientId, redirectUri });
    const { response, body } = await exchange(folio, again, { client_secret: secret });
    expect(response.status).toBe(200);
    expect(folio_(['list']).out).toContain('1 live grant');

    // Removing the client ends its grants: tokens stop, and /token says invalid_client.
    const removed = folio_(['remove', clientId]);
    expect(removed.out).toContain(`removed ${clientId}; ended 1 grant`);
    expect((await initialize(folio.mcpUrl, body.access_token as string)).status).toBe(401);
    const refreshed = await postForm(`${folio.origin}/token`, {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token as string,
      client_id: clientId,
      client_secret: secret,
    });
    expect(refreshed.status).toBe(401);
    expect(((await refreshed.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('pre-approves a client so its users see no consent screen', async () => {
    const added = folio_([
      'add',
      '--name',
      'Team editor',
      '--public',
      '--pre-approve',
      '--redirect-uri',
      'http://127.0.0.1/callback',
    ]);
    expect(added.out).toContain('Public client: no secret');
    const clientId = /client_id: (\S+)/.exec(added.out)?.[1] ?? '';

    const browser = new Browser(folio.origin);
    await signUp(browser, { email: 'preapproved@example.com', password: 'a long password here' });
    const pkce = createPkce();
    const response = await fetch(
      buildAuthorizationUrl(folio, {
        clientId,
        redirectUri: 'http://127.0.0.1:40123/callback',
        challenge: pkce.challenge,
      }),
      { redirect: 'manual', headers: { cookie: browser.cookieHeader() } },
    );
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('code')).toBeString();

    expect(folio_(['approve', clientId, '--off']).out).toContain('now asks for consent');
    const asked = await fetch(
      buildAuthorizationUrl(folio, {
        clientId,
        redirectUri: 'http://127.0.0.1:40123/callback',
        challenge: pkce.challenge,
      }),
      { redirect: 'manual', headers: { cookie: browser.cookieHeader() } },
    );
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('Allow Team editor');
  });

  it('refuses to pre-approve a self-registered client without --force', async () => {
    const registered = await fetch(`${folio.origin}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Claude',
        redirect_uris: ['https://attacker.example/cb'],
        token_endpoint_auth_method: 'none',
      }),
    });
    const { client_id: clientId } = (await registered.json()) as { client_id: string };
    const refused = folio_(['approve', clientId]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('anyone can register under any name');
    expect(folio_(['approve', clientId, '--force']).code).toBe(0);
  });

  for (const [args, message] of [
    [['add', '--redirect-uri', 'https://a.example/cb'], '--name must be a non-empty name'],
    [['add', '--name', 'X'], '--redirect-uri is required'],
    [
      ['add', '--name', 'X', '--redirect-uri', 'javascript:alert(1)'],
      'must not use the javascript:',
    ],
    [
      ['add', '--name', 'X', '--redirect-uri', 'https://a.example/cb', '--scope', 'admin'],
      '--scope',
    ],
    [['remove', 'folio_nobody'], 'no client has the id "folio_nobody"'],
    [['frobnicate'], 'unknown subcommand'],
  ] as const) {
    it(`refuses \`clients ${args.join(' ')}\` naming the problem`, () => {
      const result = folio_([...args]);
      expect(result.code).toBe(1);
      expect(result.err).toContain(message);
    });
  }
});
