import { loadConfig } from '../src/config.ts';
import type { AppContext } from '../src/context.ts';
import { createRateLimits } from '../src/http/rate-limit.ts';
import { silentLogger } from '../src/log.ts';
import { checkBearer } from '../src/mcp/bearer-gate.ts';
import { createAccessTokens } from '../src/oauth/access-token.ts';
import { findGrant } from '../src/oauth/grants.ts';
import { openStorage } from '../src/storage/database.ts';

/**
 * CPU cost of checking one bearer token, alone, in a process of its own: the whole gate
 * (checkBearer), and its parts (ES256 signature and claims; the grant lookup). CPU time is
 * process.cpuUsage (user + system) over many calls after a warm-up, in microseconds per call.
 *
 *   bun bench/bearer-cost.ts '{"databasePath":…,"issuerUrl":…,"accessToken":…,"iterations":…}'
 */

type Options = { databasePath: string; issuerUrl: string; accessToken: string; iterations: number };

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const config = loadConfig({ PUBLIC_URL: options.issuerUrl, PORT: new URL(options.issuerUrl).port });
const storage = openStorage(options.databasePath);
const ctx: AppContext = Object.freeze({
  config,
  storage,
  db: storage.db,
  logger: silentLogger,
  rateLimits: createRateLimits(),
  now: Date.now,
});
const tokens = await createAccessTokens(ctx);
const verified = await tokens.verify(options.accessToken);
if (!verified) throw new Error('the access token does not verify against this database');

const request = new Request(config.mcpUrl, {
  method: 'POST',
  headers: { authorization: `Bearer ${options.accessToken}` },
});

async function measure(work: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(1000, options.iterations); i++) await work();
  Bun.gc(true);
  const before = process.cpuUsage();
  for (let i = 0; i < options.iterations; i++) await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / options.iterations;
}

const result = {
  checkBearerUs: await measure(() => checkBearer(request, tokens.verify, config)),
  verifyUs: await measure(() => tokens.verify(options.accessToken)),
  signatureAndClaimsUs: await measure(() => tokens.readClaims(options.accessToken)),
  grantLookupUs: await measure(() => findGrant(storage.db, verified.grantId)),
};
storage.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
