import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Browser } from './support/browser.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import { startMetadataHost } from './support/metadata-host.ts';
import { createPkce, postForm, register, signUp, testAccount } from './support/oauth.ts';

/**
 * Each real client, replayed from CLIENTS.md: how it discovers Folio, registers, authorizes,
 * exchanges the code, calls a tool and refreshes. When a vendor changes behaviour, change its
 * profile here and say which fact changed.
 */

type Registration =
  | { kind: 'dcr'; body: Record<string, unknown> }
  | { kind: 'cimd'; host: string; path: string; document: (clientId: string) => object };

type AuthorizationServerMetadata = {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint: string;
  scopes_supported: string[];
  code_challenge_methods_supported: string[];
};

type Profile = {
  name: string;
  /** How the client first reaches the MCP URL without a token. */
  probe: 'GET' | 'HEAD' | 'POST';
  /** The URL the person configured: `$U` or `$U/`. */
  configuredUrl: (mcpUrl: string) => string;
  registration: Registration;
  /** The redirect URI used at /authorize (a loopback port may differ from the registered one). */
  redirectUri: string;
  /** challenge: the 401's scope; all: every AS scope; none: no scope parameter. */
  scope: 'challenge' | 'all' | 'none';
  sendsResource: boolean;
  /** Gemini CLI fails the flow when the authorization response lacks iss. */
  requiresIss: boolean;
  concurrentRefreshes: number;
  browserOrigin?: string;
};

const host = startMetadataHost(['claude.test', 'chatgpt.test', 'vscode.test']);

const profiles: Profile[] = [
  {
    name: 'hosted Claude (confidential DCR, no scope)',
    probe: 'POST',
    configuredUrl: (u) => u,
    registration: {
      kind: 'dcr',
      body: {
        client_name: 'Claude',
        redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    },
    redirectUri: 'https://claude.ai/api/mcp/auth_callback',
    scope: 'none',
    sendsResource: true,
    requiresIss: false,
    concurrentRefreshes: 1,
  },
  {
    name: 'Claude Code (CIMD, portless loopback, random port)',
    probe: 'POST',
    configuredUrl: (u) => u,
    registration: {
      kind: 'cimd',
      host: 'claude.test',
      path: '/oauth/claude-code-client-metadata',
      document: (clientId) => ({
        client_id: clientId,
        client_name: 'Claude Code',
        redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'none',
      }),
    },
    redirectUri: 'http://localhost:61234/callback',
    scope: 'challenge',
    sendsResource: true,
    requiresIss: false,
    concurrentRefreshes: 1,
  },
  {
    name: 'ChatGPT (CIMD preferring private_key_jwt, per-connector callback)',
    probe: 'POST',
    configuredUrl: (u) => u,
    registration: {
      kind: 'cimd',
      host: 'chatgpt.test',
      path: '/oauth/Xy12/client.json',
      document: (clientId) => ({
        client_id: clientId,
        client_name: 'ChatGPT',
        redirect_uris: ['https://chatgpt.com/connector/oauth/Xy12'],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
        jwks_uri: 'https://chatgpt.com/oauth/jwks.json',
      }),
    },
    redirectUri: 'https://chatgpt.com/connector/oauth/Xy12',
    scope: 'none',
    sendsResource: true,
    requiresIss: true,
    concurrentRefreshes: 1,
  },
  {
    name: 'Gemini CLI (HEAD probe, all AS scopes, random port, iss required)',
    probe: 'HEAD',
    configuredUrl: (u) => u,
    registration: {
      kind: 'dcr',
      body: {
        client_name: 'Gemini CLI MCP Client',
        redirect_uris: ['http://localhost:50123/oauth/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      },
    },
    redirectUri: 'http://localhost:50123/oauth/callback',
    scope: 'all',
    sendsResource: true,
    requiresIss: true,
    concurrentRefreshes: 3,
  },
  {
    name: 'Perplexity (remote connector callback)',
    probe: 'POST',
    configuredUrl: (u) => u,
    registration: {
      kind: 'dcr',
      body: {
        client_name: 'Perplexity',
        redirect_uris: [
          'https://www.perplexity.ai/rest/connections/oauth_callback',
          'https://enterprise.perplexity.ai/rest/connections/oauth_callback',
        ],
        token_endpoint_auth_method: 'none',
      },
    },
    redirectUri: 'https://www.perplexity.ai/rest/connections/oauth_callback',
    scope: 'challenge',
    sendsResource: true,
    requiresIss: false,
    concurrentRefreshes: 1,
  },
  {
    name: 'VS Code (DCR fallback, four redirect URIs, device grant, URL with a slash)',
    probe: 'POST',
    configuredUrl: (u) => `${u}/`,
    registration: {
      kind: 'dcr',
      body: {
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
      },
    },
    redirectUri: 'http://127.0.0.1:49152/',
    scope: 'challenge',
    sendsResource: true,
    requiresIss: false,
    concurrentRefreshes: 1,
  },
  {
    name: 'VS Code (CIMD)',
    probe: 'POST',
    configuredUrl: (u) => u,
    registration: {
      kind: 'cimd',
      host: 'vscode.test',
      path: '/oauth/client-metadata.json',
      document: (clientId) => ({
        client_id: clientId,
        client_name: 'Visual Studio Code',
        redirect_uris: ['https://vscode.dev/redirect', 'http://127.0.0.1/'],
        token_endpoint_auth_method: 'none',
      }),
    },
    redirectUri: 'http://127.0.0.1:50000/',
    scope: 'challenge',
    sendsResource: true,
    requiresIss: false,
    concurrentRefreshes: 1,
  },
  {
    name: 'Cursor (custom scheme, application_type web)',
    probe: 'POST',
    configuredUrl: (u) => u,
    registration: {
      kind: 'dcr',
      body: {
        client_name: 'Cursor',
        redirect_uris: [
          'cursor://anysphere.cursor-mcp/oauth/callback',
          'https://www.cursor.com/agents/mcp/oauth/callback',
          'http://localhost:8787/callback',
        ],
        application_type: 'web',
        token_endpoint_auth_method: 'none',
      },
    },
    redirectUri: 'cursor://anysphere.cursor-mcp/oauth/callback',
    scope: 'challenge',
    sendsResource: false,
    requiresIss: false,
    concurrentRefreshes: 1,
  },
  {
    name: 'MCP Inspector (from a browser page on localhost:6274)',
    probe: 'POST',
    configuredUrl: (u) => u,
    registration: {
      kind: 'dcr',
      body: {
        client_name: 'MCP Inspector',
        redirect_uris: [
          'http://localhost:6274/oauth/callback',
          'http://localhost:6274/oauth/callback/debug',
        ],
        token_endpoint_auth_method: 'none',
      },
    },
    redirectUri: 'http://localhost:6274/oauth/callback',
    scope: 'challenge',
    sendsResource: true,
    requiresIss: false,
    concurrentRefreshes: 1,
    browserOrigin: 'http://localhost:6274',
  },
];

describe('every client connects', () => {
  let folio: RunningFolio;
  let browser: Browser;
  beforeAll(async () => {
    // MCP Inspector calls /mcp from its page, so its origin is allowed, as docs/clients tells.
    folio = await startFolio({
      clientMetadata: host.clientMetadata,
      env: { ALLOWED_ORIGINS: 'http://localhost:6274' },
    });
    browser = new Browser(folio.origin);
    await signUp(browser);
  });
  afterAll(async () => {
    await folio.close();
    host.stop();
  });

  for (const profile of profiles) {
    it(profile.name, async () => {
      const cors: Record<string, string> = profile.browserOrigin
        ? { origin: profile.browserOrigin }
        : {};
      const configured = profile.configuredUrl(folio.mcpUrl);

      // Discovery from the 401.
      const probe = await fetch(configured, { method: profile.probe, headers: cors });
      expect(probe.status).toBe(401);
      const challenge = probe.headers.get('www-authenticate') ?? '';
      const challengeScope = /scope="([^"]+)"/.exec(challenge)?.[1] ?? '';
      const prmUrl = new URL(configured);
      prmUrl.pathname = `/.well-known/oauth-protected-resource${prmUrl.pathname}`;
      const prm = (await (await fetch(prmUrl, { headers: cors })).json()) as {
        resource: string;
        authorization_servers: string[];
      };
      // VS Code and Gemini CLI demand the PRM resource equal the configured URL.
      expect(new URL(prm.resource).toString()).toBe(new URL(configured).toString());
      const issuer = prm.authorization_servers[0] as string;
      const asMetadata = (await (
        await fetch(`${issuer}/.well-known/oauth-authorization-server`, { headers: cors })
      ).json()) as AuthorizationServerMetadata;
      expect(asMetadata.code_challenge_methods_supported).toEqual(['S256']);

      // Registration.
      if (profile.browserOrigin) await expectPreflight(asMetadata.registration_endpoint, profile);
      const client = await registerAs(folio, profile);

      // Authorization through sign-in (already signed in) and consent.
      const pkce = createPkce();
      const url = new URL(asMetadata.authorization_endpoint);
      const scope = {
        challenge: challengeScope,
        all: asMetadata.scopes_supported.join(' '),
        none: '',
      }[profile.scope];
      for (const [name, value] of Object.entries({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: profile.redirectUri,
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
        state: 'st-1',
        ...(scope && { scope }),
        ...(profile.sendsResource && { resource: prm.resource }),
      })) {
        url.searchParams.set(name, value);
      }
      const back = await browser.authorize(url.href, testAccount);
      const expected = new URL(profile.redirectUri);
      expect(`${back.protocol}//${back.hostname}${back.pathname}`).toBe(
        `${expected.protocol}//${expected.hostname}${expected.pathname}`,
      );
      expect(back.searchParams.get('state')).toBe('st-1');
      if (profile.requiresIss) expect(back.searchParams.get('iss')).toBe(asMetadata.issuer);

      // Code exchange, the way this client authenticates.
      if (profile.browserOrigin) await expectPreflight(asMetadata.token_endpoint, profile);
      const tokenResponse = await postForm(
        asMetadata.token_endpoint,
        {
          grant_type: 'authorization_code',
          code: back.searchParams.get('code') ?? '',
          redirect_uri: profile.redirectUri,
          code_verifier: pkce.verifier,
          client_id: client.clientId,
          ...(client.secret && { client_secret: client.secret }),
          ...(profile.sendsResource && { resource: prm.resource }),
        },
        cors,
      );
      expect(tokenResponse.status).toBe(200);
      if (profile.browserOrigin) {
        expect(tokenResponse.headers.get('access-control-allow-origin')).toBe('*');
      }
      const tokens = (await tokenResponse.json()) as Record<string, string>;
      expect(tokens.scope).toBe('documents:read documents:write');
      expect(Number(tokens.expires_in)).toBeGreaterThanOrEqual(600);

      // A tool call at once, on the URL as configured.
      const search = await callSearch(configured, tokens.access_token as string, cors);
      expect(search).toEqual({ results: [] });

      // Refresh as the client does (Gemini CLI fires several at once).
      const refreshes = await Promise.all(
        Array.from({ length: profile.concurrentRefreshes }, () =>
          postForm(
            asMetadata.token_endpoint,
            {
              grant_type: 'refresh_token',
              refresh_token: tokens.refresh_token as string,
              client_id: client.clientId,
              ...(client.secret && { client_secret: client.secret }),
              ...(profile.sendsResource && { resource: prm.resource }),
            },
            cors,
          ),
        ),
      );
      expect(refreshes.map((response) => response.status)).toEqual(refreshes.map(() => 200));
    });
  }

  it('ChatGPT reconnecting without scope gets the default grant, no second consent', async () => {
    const clientId = host.url('chatgpt.test', '/oauth/Xy12/client.json');
    const pkce = createPkce();
    const url = new URL(`${folio.origin}/authorize`);
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'https://chatgpt.com/connector/oauth/Xy12',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      resource: folio.mcpUrl,
    })) {
      url.searchParams.set(name, value);
    }
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: browser.cookieHeader() },
    });
    expect(response.status).toBe(302);
    const back = new URL(response.headers.get('location') ?? '');
    expect(back.searchParams.get('iss')).toBe(folio.origin);
  });
});

async function registerAs(folio: RunningFolio, profile: Profile) {
  const registration = profile.registration;
  if (registration.kind === 'cimd') {
    const clientId = host.url(registration.host, registration.path);
    host.serve(registration.host, registration.path, () =>
      Response.json(registration.document(clientId)),
    );
    return { clientId, secret: undefined };
  }
  const { status, body } = await register(folio, registration.body);
  expect(status).toBe(201);
  return { clientId: body.client_id as string, secret: body.client_secret };
}

async function expectPreflight(url: string, profile: Profile) {
  const preflight = await fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin: profile.browserOrigin ?? '',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
}

/** initialize, then `search`, over Streamable HTTP with the bearer token. */
async function callSearch(mcpUrl: string, token: string, extra: Record<string, string>) {
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...extra,
  };
  const init = await fetch(mcpUrl, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'x', version: '1' },
      },
    }),
  });
  expect(init.status).toBe(200);
  const session = init.headers.get('mcp-session-id') ?? '';
  const call = await fetch(mcpUrl, {
    method: 'POST',
    headers: { ...headers, 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'search', arguments: { query: 'nothing here yet' } },
    }),
  });
  expect(call.status).toBe(200);
  const text = await call.text();
  const data = text.includes('data: ') ? (/data: (.+)/.exec(text)?.[1] ?? '') : text;
  const result = JSON.parse(data).result as { content: { text: string }[] };
  expect(result.content.length).toBe(1);
  return JSON.parse(result.content[0]?.text ?? '');
}
