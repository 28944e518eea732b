import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { RateLimitOptions } from '../src/http/rate-limit.ts';
import { createLogger } from '../src/log.ts';
import { openStorage } from '../src/storage/database.ts';

/**
 * Folio as src/main.ts builds it (same config, logger and listener options), except that the
 * per-address rate limits are lifted: the bench drives the OAuth endpoints from one address far
 * faster than any real caller may. Prints `ready <port>` on stderr once it listens.
 */

const unlimited = { perAddress: 1_000_000_000, perSubject: 1_000_000_000 };
const rateLimits: RateLimitOptions = {
  register: unlimited,
  authorize: unlimited,
  token: unlimited,
  signin: unlimited,
};

// The bench account holds up to 100,000 documents, past the default per-user quota; the quota
// is read from the config when it has one (see src/mcp/tool-deps.ts).
const config = { ...loadConfig(), maxDocumentsPerUser: 10_000_000 };
const logger = createLogger(config.logLevel);
const storage = openStorage(config.databasePath);
const app = await createApp({ config, storage, logger, rateLimits });

const server = Bun.serve({
  port: config.port,
  hostname: config.host,
  maxRequestBodySize: Math.max(config.maxDocumentBytes * 2, 1024 * 1024),
  idleTimeout: 0,
  fetch: (request, bunServer) => app.fetch(request, bunServer),
});
process.stderr.write(`ready ${server.port}\n`);

const shutdown = async () => {
  server.stop(true);
  await app.close();
  storage.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
