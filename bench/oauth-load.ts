import { Browser, obtainTokens, refreshTokens, type TokenSet } from './oauth-client.ts';

/**
 * Load for the OAuth path, in a process of its own: `concurrency` workers, each a signed-in
 * browser, repeat either the whole flow (registration, authorization with consent, code
 * exchange) or a refresh, for a warm-up then a measured period. Prints one JSON line.
 *
 *   bun bench/oauth-load.ts '{"origin":…,"mode":"flow"|"refresh",…}'
 */

type Options = {
  origin: string;
  mode: 'flow' | 'refresh';
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
  account: { email: string; password: string };
};

const options = JSON.parse(process.argv[2] ?? '{}') as Options;

type Worker = { browser: Browser; tokens: TokenSet };

// Sign-in (argon2) and the first tokens come before the clock starts: they are not the path
// being measured.
async function prepareWorker(): Promise<Worker> {
  const browser = new Browser(options.origin);
  return { browser, tokens: await obtainTokens(options.origin, browser, options.account) };
}

async function runWorker(
  worker: Worker,
  until: { warm: number; end: number },
  latencies: number[],
) {
  for (;;) {
    const started = performance.now();
    if (started >= until.end) return;
    if (options.mode === 'flow')
      await obtainTokens(options.origin, worker.browser, options.account);
    else worker.tokens = await refreshTokens(options.origin, worker.tokens);
    const finished = performance.now();
    if (started >= until.warm && finished <= until.end) latencies.push(finished - started);
  }
}

const workers = await Promise.all(Array.from({ length: options.concurrency }, prepareWorker));
const start = performance.now();
const until = {
  warm: start + options.warmupSeconds * 1000,
  end: start + (options.warmupSeconds + options.seconds) * 1000,
};
const latencies: number[] = [];
await Promise.all(workers.map((worker) => runWorker(worker, until, latencies)));

latencies.sort((a, b) => a - b);
const at = (share: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({
    operations: latencies.length,
    perSecond: latencies.length / options.seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  })}\n`,
);
