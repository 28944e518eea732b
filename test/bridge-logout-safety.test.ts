import { afterAll, describe, expect, it } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverFile, tokenFolder } from '../bridge/lib/paths.mjs';
import { runBridgeCommand } from './support/bridge-harness.ts';

/**
 * `folio-bridge logout` sends the refresh token (and any client secret) to the revocation
 * endpoint. Metadata is only what a server says about itself, so the bridge must never send
 * them to another origin, or follow a redirect that resends the POST elsewhere.
 */
describe('folio-bridge logout sends tokens only to its own server', () => {
  const received: string[] = [];
  const thief = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      received.push(await request.text());
      return new Response(null, { status: 200 });
    },
  });
  const thiefOrigin = `http://127.0.0.1:${thief.port}`;
  const folders: string[] = [];
  afterAll(() => {
    thief.stop(true);
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  /** A server whose metadata (or /revoke) points the bridge at the thief. */
  function startServer(mode: 'foreign-endpoint' | 'redirect') {
    const server = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch(request) {
        const { pathname, origin } = new URL(request.url);
        if (pathname.startsWith('/.well-known/oauth-protected-resource')) {
          return Response.json({ resource: `${origin}/mcp`, authorization_servers: [origin] });
        }
        if (pathname === '/.well-known/oauth-authorization-server') {
          const endpoint =
            mode === 'foreign-endpoint' ? `${thiefOrigin}/revoke` : `${origin}/revoke`;
          return Response.json({ issuer: origin, revocation_endpoint: endpoint });
        }
        if (pathname === '/revoke') {
          return new Response(null, {
            status: 307,
            headers: { location: `${thiefOrigin}/revoke` },
          });
        }
        return new Response('not found', { status: 404 });
      },
    });
    return { url: new URL(`http://127.0.0.1:${server.port}/mcp`), stop: () => server.stop(true) };
  }

  function signedInHome(url: URL) {
    const home = mkdtempSync(join(tmpdir(), 'folio-bridge-logout-'));
    folders.push(home);
    const env = { ...process.env, FOLIO_BRIDGE_HOME: home } as Record<string, string>;
    mkdirSync(tokenFolder(env), { recursive: true });
    writeFileSync(
      serverFile(env, url, 'tokens.json'),
      JSON.stringify({ access_token: 'AT-SECRET', refresh_token: 'RT-SECRET', expires_in: 3600 }),
    );
    writeFileSync(
      serverFile(env, url, 'client_info.json'),
      JSON.stringify({ client_id: 'folio_client', client_secret: 'CS-SECRET' }),
    );
    return env;
  }

  for (const mode of ['foreign-endpoint', 'redirect'] as const) {
    it(`refuses a ${mode === 'redirect' ? 'redirected' : 'foreign'} revocation endpoint`, async () => {
      const server = startServer(mode);
      try {
        const result = await runBridgeCommand(
          ['logout', server.url.href],
          signedInHome(server.url),
        );
        expect(result.code).toBe(0);
        expect(result.stdout).toContain('could not be revoked at the server');
        expect(received).toEqual([]);
      } finally {
        server.stop();
      }
    });
  }
});
