import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { isPublicAddress } from '../src/oauth/client-metadata/address.ts';
import { fetchMetadataDocument } from '../src/oauth/client-metadata/fetch-document.ts';
import { Browser } from './support/browser.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import { startMetadataHost } from './support/metadata-host.ts';
import { buildAuthorizationUrl, createPkce, exchange, signUp } from './support/oauth.ts';

describe('which addresses a metadata document may be fetched from', () => {
  const cases: [string, boolean][] = [
    ['93.184.216.34', true],
    ['2606:4700::1111', true],
    ['127.0.0.1', false],
    ['10.0.0.8', false],
    ['172.16.4.4', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['::1', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['64:ff9b::a00:1', false],
    ['::7f00:1', false],
    ['::a9fe:a9fe', false],
    ['not-an-address', false],
  ];
  for (const [address, allowed] of cases) {
    it(`${allowed ? 'allows' : 'refuses'} ${address}`, () => {
      expect(isPublicAddress(address)).toBe(allowed);
    });
  }

  it('refuses a host that resolves to loopback before connecting (SSRF)', async () => {
    const fetching = fetchMetadataDocument(new URL('https://localhost/client.json'), {
      timeoutMs: 2000,
      maxBytes: 5120,
    });
    await expect(fetching).rejects.toThrow('non-public address');
  });
});

describe('client ID metadata documents', () => {
  const claude = 'claude.test';
  const chatgpt = 'chatgpt.test';
  const host = startMetadataHost([claude, chatgpt]);
  let folio: RunningFolio;
  let browser: Browser;

  beforeAll(async () => {
    folio = await startFolio({ clientMetadata: { ...host.clientMetadata, timeoutMs: 1500 } });
    browser = new Browser(folio.origin);
    await signUp(browser);
  });
  afterAll(async () => {
    await folio.close();
    host.stop();
  });

  const publish = (hostname: string, path: string, document: object, headers = {}) => {
    host.serve(hostname, path, () => Response.json(document, { headers }));
    return host.url(hostname, path);
  };
  const authorize = (clientId: string, redirectUri: string, pkce = createPkce()) =>
    fetch(buildAuthorizationUrl(folio, { clientId, redirectUri, challenge: pkce.challenge }), {
      redirect: 'manual',
      headers: { cookie: browser.cookieHeader() },
    });

  it('is advertised in authorization server metadata with the none auth method', async () => {
    const metadata = (await (
      await fetch(`${folio.origin}/.well-known/oauth-authorization-server`)
    ).json()) as Record<string, unknown>;
    expect(metadata.client_id_metadata_document_supported).toBe(true);
    expect(metadata.token_endpoint_auth_methods_supported).toContain('none');
  });

  it("serves Claude Code's document: portless loopback redirects on a random port", async () => {
    const clientId = host.url(claude, '/oauth/claude-code-client-metadata');
    publish(claude, '/oauth/claude-code-client-metadata', {
      client_id: clientId,
      client_name: 'Claude Code',
      redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
    const pkce = createPkce();
    const back = await browser.authorize(
      buildAuthorizationUrl(folio, {
        clientId,
        redirectUri: 'http://localhost:53124/callback',
        challenge: pkce.challenge,
      }),
      { email: '', password: '' },
    );
    expect(back.origin).toBe('http://localhost:53124');
    const { response, body } = await exchange(folio, {
      code: back.searchParams.get('code') ?? '',
      clientId,
      redirectUri: 'http://localhost:53124/callback',
      verifier: pkce.verifier,
    });
    expect(response.status).toBe(200);
    expect(body.refresh_token).toBeString();

    for (const redirectUri of [
      'http://localhost:53124/other',
      'http://evil.example:53124/callback',
    ]) {
      const refused = await authorize(clientId, redirectUri);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('location')).toBeNull();
    }
  });

  it("accepts ChatGPT's document, which prefers private_key_jwt but lists none", async () => {
    const clientId = host.url(chatgpt, '/oauth/AbC/client.json');
    publish(chatgpt, '/oauth/AbC/client.json', {
      client_id: clientId,
      client_name: 'ChatGPT',
      redirect_uris: ['https://chatgpt.com/connector/oauth/AbC'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
      token_endpoint_auth_signing_alg: 'RS256',
      jwks_uri: 'https://chatgpt.com/oauth/jwks.json',
    });
    const page = await authorize(clientId, 'https://chatgpt.com/connector/oauth/AbC');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Allow ChatGPT');
    expect(html).toContain(`Published by</dt><dd><code>${chatgpt}:${host.port}`);
  });

  const refusals: [string, (clientId: string) => object | Response][] = [
    [
      'names another client_id',
      () => ({ client_id: 'https://other.test/x', redirect_uris: ['https://a.test/cb'] }),
    ],
    [
      'asks for a shared secret',
      (id) => ({
        client_id: id,
        redirect_uris: ['https://a.test/cb'],
        token_endpoint_auth_method: 'client_secret_post',
      }),
    ],
    [
      'requires private_key_jwt alone',
      (id) => ({
        client_id: id,
        redirect_uris: ['https://a.test/cb'],
        token_endpoint_auth_method: 'private_key_jwt',
      }),
    ],
    [
      'carries a client_secret',
      (id) => ({ client_id: id, redirect_uris: ['https://a.test/cb'], client_secret: 'x' }),
    ],
    [
      'lists a javascript: redirect',
      (id) => ({ client_id: id, redirect_uris: ['javascript:alert(1)'] }),
    ],
    [
      'redirects elsewhere',
      () => new Response(null, { status: 302, headers: { location: 'https://claude.test/x' } }),
    ],
    [
      'is larger than 5 KB',
      (id) => ({ client_id: id, redirect_uris: ['https://a.test/cb'], padding: 'x'.repeat(6000) }),
    ],
    ['is not JSON', () => new Response('<html>hello</html>')],
  ];
  for (const [name, make] of refusals) {
    it(`refuses, with a page and no redirect, a document that ${name}`, async () => {
      const path = `/refused/${name.replace(/\W+/g, '-')}.json`;
      const clientId = host.url(claude, path);
      host.serve(claude, path, () => {
        const made = make(clientId);
        return made instanceof Response ? made : Response.json(made);
      });
      const response = await authorize(clientId, 'https://a.test/cb');
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('could not use the metadata document');
    });
  }

  for (const path of ['/a/%2e%2e/doc.json', '/a/.%2E/doc.json', '/a\\..\\doc.json']) {
    it(`refuses a client_id that is not canonical: ${path}`, async () => {
      host.serve(claude, '/doc.json', () => Response.json({}));
      const response = await authorize(
        `https://${claude}:${host.port}${path}`,
        'https://a.test/cb',
      );
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('canonical');
    });
  }

  it('gives up on a document host that does not answer in time', async () => {
    const clientId = host.url(claude, '/slow.json');
    host.serve(claude, '/slow.json', async () => {
      await Bun.sleep(3000);
      return Response.json({ client_id: clientId, redirect_uris: ['https://a.test/cb'] });
    });
    const started = performance.now();
    const response = await authorize(clientId, 'https://a.test/cb');
    expect(response.status).toBe(400);
    expect(performance.now() - started).toBeLessThan(2900);
  });

  it('caches a document within bounds, and never caches a failure', async () => {
    const path = '/flaky.json';
    const clientId = host.url(claude, path);
    let fail = true;
    host.serve(claude, path, () =>
      fail
        ? new Response('busy', { status: 503 })
        : Response.json(
            { client_id: clientId, client_name: 'Flaky', redirect_uris: ['https://a.test/cb'] },
            { headers: { 'cache-control': 'max-age=600' } },
          ),
    );
    expect((await authorize(clientId, 'https://a.test/cb')).status).toBe(400);
    fail = false;
    expect((await authorize(clientId, 'https://a.test/cb')).status).toBe(200);
    expect((await authorize(clientId, 'https://a.test/cb')).status).toBe(200);
    expect(host.hitsOf(claude, path)).toBe(2);
  });

  it('fetches again each time when the document says no-store', async () => {
    const clientId = publish(
      claude,
      '/no-store.json',
      { client_id: host.url(claude, '/no-store.json'), redirect_uris: ['https://a.test/cb'] },
      { 'cache-control': 'no-store' },
    );
    await authorize(clientId, 'https://a.test/cb');
    await authorize(clientId, 'https://a.test/cb');
    expect(host.hitsOf(claude, '/no-store.json')).toBe(2);
  });
});
