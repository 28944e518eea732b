import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type FolioApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { RateLimitOptions } from '../../src/http/rate-limit.ts';
import { type Logger, silentLogger } from '../../src/log.ts';
import type { ResolveOptions } from '../../src/oauth/client-metadata/resolve.ts';
import { openStorage, type Storage } from '../../src/storage/database.ts';

export type RunningFolio = {
  origin: string;
  mcpUrl: string;
  config: Config;
  storage: Storage;
  app: FolioApp;
  databasePath: string;
  /** Stops the listener and app, keeping the database file (for restart tests). */
  stop(): Promise<void>;
  /** Stops and deletes the database. */
  close(): Promise<void>;
};

export type StartOptions = {
  env?: Record<string, string>;
  databasePath?: string;
  logger?: Logger;
  rateLimits?: RateLimitOptions;
  now?: () => number;
  port?: number;
  clientMetadata?: ResolveOptions;
};

/**
 * Folio on a real loopback listener with a random port, as `bun run serve` builds it, on a
 * database file of its own.
 */
export async function startFolio(options: StartOptions = {}): Promise<RunningFolio> {
  const folder = options.databasePath ? undefined : mkdtempSync(join(tmpdir(), 'folio-test-'));
  const databasePath = options.databasePath ?? join(folder as string, 'folio.db');

  let app: FolioApp | undefined;
  const server = Bun.serve({
    port: options.port ?? 0,
    hostname: '127.0.0.1',
    idleTimeout: 0,
    fetch: (request, bunServer) =>
      app ? app.fetch(request, bunServer) : new Response('starting', { status: 503 }),
  });
  const origin = `http://127.0.0.1:${server.port}`;

  const config = loadConfig({ PUBLIC_URL: origin, PORT: String(server.port), ...options.env });
  const storage = openStorage(databasePath);
  app = await createApp({
    config,
    storage,
    logger: options.logger ?? silentLogger,
    rateLimits: options.rateLimits,
    now: options.now,
    clientMetadata: options.clientMetadata,
  });

  const stop = async () => {
    server.stop(true);
    await app?.close();
    storage.close();
  };
  return {
    origin,
    mcpUrl: config.mcpUrl,
    config,
    storage,
    app,
    databasePath,
    stop,
    async close() {
      await stop();
      if (folder) rmSync(folder, { recursive: true, force: true });
    },
  };
}
