import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolveOptions } from '../../src/oauth/client-metadata/resolve.ts';

export type Route = (request: Request) => Response | Promise<Response>;

/**
 * Stands in for the public web hosts that publish client metadata documents (claude.ai,
 * chatgpt.com), which this machine cannot reach: an https server on loopback with its own
 * certificate for the test host names. Folio's fetcher is pointed at it through its network
 * edge options (name resolution, trusted CA, and an address policy that admits loopback).
 */
export function startMetadataHost(hostnames: string[]) {
  const folder = mkdtempSync(join(tmpdir(), 'folio-cimd-'));
  const san = hostnames.map((name) => `DNS:${name}`).join(',');
  const made = Bun.spawnSync([
    'openssl',
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    join(folder, 'key.pem'),
    '-out',
    join(folder, 'cert.pem'),
    '-days',
    '1',
    '-subj',
    `/CN=${hostnames[0]}`,
    '-addext',
    `subjectAltName=${san}`,
  ]);
  if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
  const cert = readFileSync(join(folder, 'cert.pem'), 'utf8');
  const key = readFileSync(join(folder, 'key.pem'), 'utf8');

  const routes = new Map<string, Route>();
  const hits = new Map<string, number>();
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    tls: { cert, key },
    fetch(request) {
      const url = new URL(request.url);
      const key = `${url.hostname}${url.pathname}`;
      hits.set(key, (hits.get(key) ?? 0) + 1);
      const route = routes.get(key);
      return route ? route(request) : new Response('not found', { status: 404 });
    },
  });

  const clientMetadata: ResolveOptions = {
    ca: cert,
    isAllowedAddress: (address) => address === '127.0.0.1',
    resolve: async (hostname) => {
      if (!hostnames.includes(hostname)) throw new Error(`unknown host ${hostname}`);
      return [{ address: '127.0.0.1', family: 4 }];
    },
  };

  return {
    port: server.port as number,
    /** The https URL of `path` on `hostname`, with this server's port. */
    url: (hostname: string, path: string) => `https://${hostname}:${server.port}${path}`,
    serve(hostname: string, path: string, route: Route) {
      routes.set(`${hostname}${path}`, route);
    },
    hitsOf: (hostname: string, path: string) => hits.get(`${hostname}${path}`) ?? 0,
    clientMetadata,
    stop() {
      server.stop(true);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
