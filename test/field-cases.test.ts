import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Browser } from './support/browser.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import {
  buildAuthorizationUrl,
  createPkce,
  exchange,
  initialize,
  obtainCode,
  register,
  registerPublic,
  signUp,
} from './support/oauth.ts';

/** The "Cases from the field" of CLIENTS.md that this slice covers, one test each. */
describe('cases from the field (CLIENTS.md)', () => {
  let folio: RunningFolio;
  let browser: Browser;
  beforeAll(async () => {
    folio = await startFolio();
    browser = new Browser(folio.origin);
    await signUp(browser);
  });
  afterAll(() => folio.close());

  it('1: a portless loopback redirect accepts any port, and nothing else', async () => {
    const { client_id: clientId } = await registerPublic(folio, ['http://localhost/callback']);
    const granted = await obtainCode(folio, browser, {
      clientId,
      redirectUri: 'http://localhost:53124/callback',
    });
    expect(granted.redirect.origin).toBe('http://localhost:53124');

    for (const redirectUri of [
      'http://localhost:53124/other',
      'http://evil.example:53124/callback',
    ]) {
      const url = buildAuthorizationUrl(folio, {
        clientId,
        redirectUri,
        challenge: createPkce().challenge,
      });
      const response = await fetch(url, { redirect: 'manual', headers: cookieOf(browser) });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('did not register');
    }
  });

  it('2: hosted Claude registers as a confidential client and must send its secret', async () => {
    const { status, body } = await register(folio, {
      client_name: 'Claude',
      redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    });
    expect(status).toBe(201);
    expect(body.client_secret).toBeString();
    expect(body.client_id?.startsWith('https://')).toBe(false);

    const redirectUri = 'https://claude.ai/api/mcp/auth_callback';
    const first = await obtainCode(folio, browser, { clientId: body.client_id, redirectUri });
    const withoutSecret = await exchange(folio, first);
    expect(withoutSecret.response.status).toBe(401);
    expect(withoutSecret.body.error).toBe('invalid_client');

    const second = await obtainCode(folio, browser, { clientId: body.client_id, redirectUri });
    const wrongSecret = await exchange(folio, second, { client_secret: 'not-the-secret' });
    expect(wrongSecret.response.status).toBe(401);

    const third = await obtainCode(folio, browser, { clientId: body.client_id, redirectUri });
    const ok = await exchange(folio, third, { client_secret: body.client_secret as string });
    expect(ok.response.status).toBe(200);
    expect(ok.body.access_token).toBeString();
  });

  it('2: an unknown client gets 401 invalid_client (Claude re-registers on it)', async () => {
    const { response, body } = await exchange(folio, {
      code: 'x',
      clientId: 'folio_deleted',
      redirectUri: 'https://claude.ai/api/mcp/auth_callback',
      verifier: createPkce().verifier,
    });
    expect(response.status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('3: the endpoints advertised are the ones at the origin root', async () => {
    const metadata = await (
      await fetch(`${folio.origin}/.well-known/oauth-authorization-server`)
    ).json();
    expect(metadata).toMatchObject({
      issuer: folio.origin,
      authorization_endpoint: `${folio.origin}/authorize`,
      token_endpoint: `${folio.origin}/token`,
      registration_endpoint: `${folio.origin}/register`,
      revocation_endpoint: `${folio.origin}/revoke`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    const openid = await (await fetch(`${folio.origin}/.well-known/openid-configuration`)).json();
    expect(openid).toEqual(metadata);
  });

  it('4: resource with a trailing slash is the same audience; others invalid_target', async () => {
    const granted = await obtainCode(folio, browser, { resource: `${folio.mcpUrl}/` });
    const { body } = await exchange(folio, granted, { resource: `${folio.mcpUrl}/` });
    expect((await initialize(folio.mcpUrl, body.access_token as string)).status).toBe(200);

    const foreign = await obtainCodeOrError(folio, browser, 'https://other.example/mcp');
    expect(foreign.searchParams.get('error')).toBe('invalid_target');
    expect(foreign.searchParams.get('iss')).toBe(folio.origin);
    expect(foreign.searchParams.get('state')).toBe('state-123');
  });

  it('5: an unauthenticated HEAD gets 401 naming metadata with the exact resource', async () => {
    const response = await fetch(folio.mcpUrl, { method: 'HEAD' });
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] ?? '';
    expect(metadataUrl).toBe(`${folio.origin}/.well-known/oauth-protected-resource/mcp`);

    for (const url of [metadataUrl, `${folio.origin}/.well-known/oauth-protected-resource`]) {
      const document = (await (await fetch(url)).json()) as Record<string, unknown>;
      expect(document.resource).toBe(folio.mcpUrl);
      expect(document.authorization_servers).toEqual([folio.origin]);
      expect(document.scopes_supported).not.toContain('offline_access');
    }
    const slashed = await (
      await fetch(`${folio.origin}/.well-known/oauth-protected-resource/mcp/`)
    ).json();
    expect(slashed.resource).toBe(`${folio.mcpUrl}/`);
  });

  it("6: VS Code's registration body registers and its loopback redirect works", async () => {
    const { status, body } = await register(folio, {
      client_name: 'Visual Studio Code',
      redirect_uris: [
        'https://insiders.vscode.dev/redirect',
        'https://vscode.dev/redirect',
        'http://127.0.0.1/',
        'http://127.0.0.1:33418/',
      ],
      grant_types: [
        'authorization_code',
        'refresh_token',
        'urn:ietf:params:oauth:grant-type:device_code',
      ],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    });
    expect(status).toBe(201);
    const granted = await obtainCode(folio, browser, {
      clientId: body.client_id,
      redirectUri: 'http://127.0.0.1:49152/',
    });
    expect((await exchange(folio, granted)).response.status).toBe(200);
  });

  it("7: Cursor's body registers; dangerous redirect URIs get invalid_redirect_uri", async () => {
    const cursor = await register(folio, {
      client_name: 'Cursor',
      redirect_uris: [
        'cursor://anysphere.cursor-mcp/oauth/callback',
        'https://www.cursor.com/agents/mcp/oauth/callback',
        'http://localhost:8787/callback',
      ],
      application_type: 'web',
      token_endpoint_auth_method: 'none',
    });
    expect(cursor.status).toBe(201);

    for (const uri of [
      'javascript:alert(1)',
      'data:text/html,hi',
      'file:///etc/passwd',
      'https://app.example/callback#frag',
      'http://app.example/callback',
      'view-source:https://app.example/callback',
      'https:app.example/callback',
      'https:///callback',
    ]) {
      const refused = await register(folio, {
        redirect_uris: [uri],
        token_endpoint_auth_method: 'none',
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_redirect_uri');
      expect(refused.body.error_description).toContain('redirect_uris[0]');
    }
  });

  it("8: ChatGPT's per-connector callback works; an unregistered one is refused", async () => {
    const { client_id: clientId } = await registerPublic(folio, [
      'https://chatgpt.com/connector/oauth/AbC123',
    ]);
    const granted = await obtainCode(folio, browser, {
      clientId,
      redirectUri: 'https://chatgpt.com/connector/oauth/AbC123',
    });
    expect(granted.redirect.searchParams.get('iss')).toBe(folio.origin);

    const url = buildAuthorizationUrl(folio, {
      clientId,
      redirectUri: 'https://chatgpt.com/connector/oauth/Other',
      challenge: createPkce().challenge,
    });
    const response = await fetch(url, { redirect: 'manual', headers: cookieOf(browser) });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('9: browsers get CORS preflights, and metadata ignores a garbage bearer', async () => {
    for (const path of [
      '/.well-known/oauth-authorization-server',
      '/.well-known/oauth-protected-resource/mcp',
      '/register',
      '/token',
    ]) {
      const preflight = await fetch(`${folio.origin}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:6274',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    }
    for (const path of [
      '/.well-known/oauth-authorization-server',
      '/.well-known/openid-configuration',
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/jwks.json',
    ]) {
      const response = await fetch(`${folio.origin}${path}`, {
        headers: { authorization: 'Bearer x' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    }
  });

  it('10: a freshly exchanged token initializes at once', async () => {
    const granted = await obtainCode(folio, browser);
    const { body } = await exchange(folio, granted);
    const response = await initialize(folio.mcpUrl, body.access_token as string);
    expect(response.status).toBe(200);
  });
});

function cookieOf(browser: Browser) {
  return { cookie: browser.cookieHeader() };
}

async function obtainCodeOrError(folio: RunningFolio, browser: Browser, resource: string) {
  const { client_id: clientId } = await registerPublic(folio, ['http://127.0.0.1:7777/callback']);
  const url = buildAuthorizationUrl(folio, {
    clientId,
    redirectUri: 'http://127.0.0.1:7777/callback',
    challenge: createPkce().challenge,
    resource,
  });
  const response = await fetch(url, { redirect: 'manual', headers: cookieOf(browser) });
  return new URL(response.headers.get('location') ?? 'http://missing.invalid/');
}

describe('/register', () => {
  let folio: RunningFolio;
  beforeAll(async () => {
    folio = await startFolio();
  });
  afterAll(() => folio.close());

  it('strips direction overrides and control characters from the client name', async () => {
    const { body } = await register(folio, {
      client_name: 'Good\u202Eliv\u0007E',
      redirect_uris: ['http://127.0.0.1/cb'],
      token_endpoint_auth_method: 'none',
    });
    expect(body.client_name).toBe('GoodlivE');
  });

  it('stores nothing when a registration is refused', async () => {
    const before = folio.storage.sqlite.query('select count(*) as n from clients').get();
    await register(folio, {
      redirect_uris: ['http://127.0.0.1/cb', 'javascript:alert(1)'],
      token_endpoint_auth_method: 'none',
    });
    const after = folio.storage.sqlite.query('select count(*) as n from clients').get();
    expect(after).toEqual(before);
  });
});
