import { afterAll, describe, expect, it } from 'bun:test';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const projectRoot = join(import.meta.dir, '..');
const conformanceCli = join(
  projectRoot,
  'node_modules',
  '@modelcontextprotocol',
  'conformance',
  'dist',
  'index.js',
);
const driver = join(import.meta.dir, 'support', 'bridge-conformance-client.ts');
const expectedFailures = join(projectRoot, 'bridge', 'conformance', 'expected-failures.yml');

// The scenarios of `conformance client --suite auth` in @modelcontextprotocol/conformance 0.1.16.
const authSuite = [
  'auth/metadata-default',
  'auth/metadata-var1',
  'auth/metadata-var2',
  'auth/metadata-var3',
  'auth/basic-cimd',
  'auth/scope-from-www-authenticate',
  'auth/scope-from-scopes-supported',
  'auth/scope-omitted-when-undefined',
  'auth/scope-step-up',
  'auth/scope-retry-limit',
  'auth/token-endpoint-auth-basic',
  'auth/token-endpoint-auth-post',
  'auth/token-endpoint-auth-none',
  'auth/pre-registration',
];
// The suite's own runner starts all fourteen at once; under that load mcp-remote's callback
// listener can come up after the headless browser stops retrying. A few at a time is stable.
const CONCURRENCY = 5;
const SCENARIO_TIMEOUT_MS = 40_000;
const RETRY_BEFORE_MS = 30_000;

type Outcome = { scenario: string; code: number | null; output: string };

/**
 * The conformance suite's client authorization scenarios, with folio-bridge as the client: each
 * scenario's server URL is given to a small MCP client that drives the bridge over stdio. The
 * CLI (Node 22 APIs, so run with Bun) compares failures with bridge/conformance's baseline, and
 * exits 0 only when every failure is listed there and every listed one still fails.
 */
describe.skipIf(!existsSync(conformanceCli))('conformance client --suite auth', () => {
  const output = mkdtempSync(join(tmpdir(), 'folio-bridge-conformance-results-'));

  afterAll(() => rmSync(output, { recursive: true, force: true }));

  it('passes every scenario that applies; the rest fail exactly as listed in the baseline', async () => {
    const started = Date.now();
    const outcomes = await runPooled(authSuite, CONCURRENCY, (scenario) =>
      runScenario(scenario, output),
    );
    // On a loaded machine the headless browser step can miss mcp-remote's callback listener:
    // a few failed scenarios get one more run, while there is time left for it.
    let unexpected = outcomes.filter((outcome) => outcome.code !== 0);
    const hasTime = Date.now() - started < RETRY_BEFORE_MS;
    if (unexpected.length > 0 && unexpected.length <= 3 && hasTime) {
      const retried = await runPooled(unexpected, unexpected.length, ({ scenario }) =>
        runScenario(scenario, output),
      );
      unexpected = retried.filter((outcome) => outcome.code !== 0);
    }
    for (const { scenario, output: text } of unexpected) {
      console.error(`--- ${scenario} ---\n${text.slice(-12000)}`);
    }
    expect(unexpected.map((outcome) => outcome.scenario)).toEqual([]);
  }, 58_000);
});

function runScenario(scenario: string, output: string): Promise<Outcome> {
  const args = [
    conformanceCli,
    'client',
    '--command',
    `${process.execPath} ${driver}`,
    '--scenario',
    scenario,
    '--expected-failures',
    expectedFailures,
    '-o',
    output,
  ];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const timer = setTimeout(() => killGroup(child.pid), SCENARIO_TIMEOUT_MS);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      killGroup(child.pid);
      resolve({ scenario, code, output: text });
    });
  });
}

async function runPooled<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>) {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      results.push(await run(item));
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group has already ended.
  }
}
