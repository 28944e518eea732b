import { Database } from 'bun:sqlite';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { searchDocuments } from '../src/documents/index.ts';
import { openStorage } from '../src/storage/database.ts';
import { type LoadResult, runLoad } from './load.ts';
import { callTool, openSession } from './mcp-sessions.ts';
import { Browser, obtainTokens } from './oauth-client.ts';
import { findFreePort, type ServerProcess, startServer } from './processes.ts';
import { readHotFunctions } from './profile.ts';
import { checkTarget, formatTable, type Row, type Target } from './report.ts';
import { benchAccount, copyDatabase, seedDatabase } from './seed.ts';

/**
 * `bun run bench` (full, several minutes) or `bun run bench --smoke` (tiny sizes, seconds):
 * prints one table and writes it as JSON under bench/results/ (or the folder after `--out`).
 * The SDK-on-Express baseline runs when bench/baseline-express has been installed
 * (`npm ci --prefix bench/baseline-express`) and `--no-express` is not given.
 */

const smoke = process.argv.includes('--smoke');
const outIndex = process.argv.indexOf('--out');
const resultsDir =
  outIndex > 0 ? (process.argv[outIndex + 1] as string) : join(import.meta.dir, 'results');
const root = join(import.meta.dir, '..');
const expressDir = join(import.meta.dir, 'baseline-express');
const withExpress =
  !process.argv.includes('--no-express') &&
  existsSync(join(expressDir, 'node_modules', 'better-sqlite3'));

const plan = smoke
  ? {
      sizes: [50, 200, 500],
      connections: 10,
      warmup: 0,
      seconds: 1,
      oauthSeconds: 1,
      oauthConcurrency: 2,
      memoryUsers: 1,
      sessionsPerUser: 5,
      startups: 1,
      bearerIterations: 200,
    }
  : {
      sizes: [1_000, 10_000, 100_000],
      connections: 50,
      warmup: 3,
      seconds: 10,
      oauthSeconds: 5,
      oauthConcurrency: 10,
      memoryUsers: 10,
      sessionsPerUser: 20,
      startups: 3,
      bearerIterations: 5_000,
    };
const [, medium, large] = plan.sizes as [number, number, number];
// Sessions shared by the load connections: Folio lets one user hold at most 20 sessions.
const LOAD_SESSIONS = 10;
const QUERIES = [
  'file',
  'directory permissions',
  'network interface',
  'signal handler',
  'regular expression',
  'memory allocation',
  'terminal',
  'user password',
  'socket',
  'compress archive',
  'print format',
  'kernel module',
  'time zone',
  'process id',
  'environment variable',
  'locale',
  'unicode',
  'configuration file',
  'standard output',
  'exit status',
];
const searchParams = QUERIES.map((query) => ({ name: 'search', arguments: { query } }));

const runDir = mkdtempSync(join(tmpdir(), 'folio-bench-'));
const rows: Row[] = [];
const extra: Record<string, unknown> = {};
const benchStarted = performance.now();
// Other work on the machine skews every number; the table says how busy it was.
const readLoadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';
const loadAverageBefore = readLoadAverage();
const log = (line: string) => {
  const seconds = ((performance.now() - benchStarted) / 1000).toFixed(1);
  process.stderr.write(`bench ${seconds}s: ${line}\n`);
};

function label(count: number): string {
  return count >= 1000 ? `${count / 1000}k` : String(count);
}

async function startFolio(databasePath: string, cpuProfileDir?: string): Promise<ServerProcess> {
  const port = findFreePort();
  const command = [process.execPath];
  if (cpuProfileDir) command.push('--cpu-prof-md', `--cpu-prof-dir=${cpuProfileDir}`);
  command.push(join(import.meta.dir, 'folio-server.ts'));
  return startServer(
    command,
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_PATH: databasePath,
    },
    { cwd: root },
  );
}

/** Signs the bench account in, runs the OAuth flow once, opens `sessions` MCP sessions. */
async function connect(server: ServerProcess, sessions: number) {
  const tokens = await obtainTokens(server.origin, new Browser(server.origin), benchAccount);
  const mcpUrl = `${server.origin}/mcp`;
  const ids: string[] = [];
  for (let i = 0; i < sessions; i++) ids.push(await openSession(mcpUrl, tokens.accessToken));
  return { tokens, mcpUrl, sessions: ids };
}

function readDocumentIds(databasePath: string, limit: number): string[] {
  const sqlite = new Database(databasePath, { readonly: true });
  const rows = sqlite.query('SELECT id FROM documents ORDER BY seq LIMIT ?').all(limit) as {
    id: string;
  }[];
  sqlite.close();
  return rows.map((row) => row.id);
}

function readUserId(databasePath: string): string {
  const sqlite = new Database(databasePath, { readonly: true });
  const row = sqlite.query('SELECT id FROM users WHERE email = ?').get(benchAccount.email) as {
    id: string;
  };
  sqlite.close();
  return row.id;
}

function loadRow(scenario: string, result: LoadResult, note?: string): Row {
  return { scenario, ...result, note };
}

async function runOAuthLoad(origin: string, mode: 'flow' | 'refresh') {
  const child = Bun.spawn(
    [
      process.execPath,
      join(import.meta.dir, 'oauth-load.ts'),
      JSON.stringify({
        origin,
        mode,
        concurrency: plan.oauthConcurrency,
        warmupSeconds: smoke ? 0.2 : 1,
        seconds: plan.oauthSeconds,
        account: benchAccount,
      }),
    ],
    { stdout: 'pipe', stderr: 'pipe' },
  );
  const [output, errors, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (code !== 0) throw new Error(`oauth load failed: ${errors}`);
  return JSON.parse(output) as {
    operations: number;
    perSecond: number;
    p50Ms: number;
    p99Ms: number;
  };
}

async function runJson(script: string, options: unknown) {
  const child = Bun.spawn(
    [process.execPath, join(import.meta.dir, script), JSON.stringify(options)],
    {
      cwd: root,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  );
  const [output, errors, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (code !== 0) throw new Error(`${script} failed: ${errors}`);
  return JSON.parse(output) as Record<string, number>;
}

const load = (server: ServerProcess, connections = plan.connections) => ({
  connections,
  warmupSeconds: plan.warmup,
  seconds: plan.seconds,
  readRss: server.readRss,
});

// --- Databases ---------------------------------------------------------------------------
log(`seeding (cached under bench/.cache): ${plan.sizes.join(', ')} documents`);
const seeded = new Map<number, string>();
for (const size of plan.sizes) seeded.set(size, await seedDatabase(size));
const seededPath = (size: number) => seeded.get(size) as string;

// --- 1 and 2: tools/call against Folio and its two baselines ---------------------------------
log('floor: bare Bun.serve');
const floor = await startServer([process.execPath, join(import.meta.dir, 'floor-server.ts')], {
  PORT: String(findFreePort()),
});
const floorResult = await runLoad(
  { url: `${floor.origin}/mcp`, params: searchParams },
  load(floor),
);
await floor.stop();
rows.push(loadRow('floor: bare Bun.serve, fixed JSON-RPC result', floorResult));

log(`folio: tools/call on ${label(medium)} documents`);
const mediumCopy = copyDatabase(seededPath(medium), runDir, 'medium');
let folio = await startFolio(mediumCopy);
const client = await connect(folio, LOAD_SESSIONS);
const documentIds = readDocumentIds(mediumCopy, 100);
const bearer = { authorization: `Bearer ${client.tokens.accessToken}` };
await callTool(
  client.mcpUrl,
  client.sessions[0] as string,
  client.tokens.accessToken,
  searchParams[0] as never,
);
await callTool(client.mcpUrl, client.sessions[0] as string, client.tokens.accessToken, {
  name: 'fetch',
  arguments: { id: documentIds[0] },
});
const toolTarget = (params: unknown[]) => ({
  url: client.mcpUrl,
  params,
  headers: bearer,
  sessions: client.sessions,
});
const folioSearch = await runLoad(toolTarget(searchParams), load(folio));
const fetchParams = documentIds.map((id) => ({ name: 'fetch', arguments: { id } }));
const folioFetch = await runLoad(toolTarget(fetchParams), load(folio));
const createParams = QUERIES.map((query, index) => ({
  name: 'create_document',
  arguments: { title: `Bench note ${index}: ${query}`, body: `Notes about ${query}.\n`.repeat(20) },
}));
const folioCreate = await runLoad(toolTarget(createParams), load(folio));

log('folio: OAuth path');
const flow = await runOAuthLoad(folio.origin, 'flow');
const refresh = await runOAuthLoad(folio.origin, 'refresh');
const bearerCost = await runJson('bearer-cost.ts', {
  databasePath: mediumCopy,
  issuerUrl: folio.origin,
  accessToken: client.tokens.accessToken,
  iterations: plan.bearerIterations,
});
await folio.stop();

// Where the time goes: the same search load against a profiled server (full runs only, so the
// sampling never touches the numbers above).
let hotFunctions: string[] = [];
if (!smoke || process.argv.includes('--profile')) {
  log('profile: search load under bun --cpu-prof-md');
  mkdirSync(resultsDir, { recursive: true });
  const profileDir = mkdtempSync(join(resultsDir, 'profile-'));
  const profiled = await startFolio(
    copyDatabase(seededPath(medium), runDir, 'profiled'),
    profileDir,
  );
  const connection = await connect(profiled, LOAD_SESSIONS);
  await runLoad(
    {
      url: connection.mcpUrl,
      params: searchParams,
      headers: { authorization: `Bearer ${connection.tokens.accessToken}` },
      sessions: connection.sessions,
    },
    load(profiled),
  );
  await profiled.stop();
  hotFunctions = readHotFunctions(profileDir, 25);
  extra.profileFile = profileDir;
}
extra.hotFunctions = hotFunctions;

let expressSearch: LoadResult | undefined;
if (withExpress) {
  log('baseline: MCP SDK on Express + better-sqlite3, Node');
  const express = await startServer(['node', join(expressDir, 'server.mjs')], {
    PORT: String(findFreePort()),
    DATABASE_PATH: mediumCopy,
    BENCH_USER_ID: readUserId(mediumCopy),
  });
  const url = `${express.origin}/mcp`;
  const sessions: string[] = [];
  for (let i = 0; i < LOAD_SESSIONS; i++) sessions.push(await openSession(url));
  await callTool(url, sessions[0] as string, undefined, searchParams[0] as never);
  expressSearch = await runLoad({ url, params: searchParams, sessions }, load(express));
  await express.stop();
}

const vs = (result: LoadResult) => ({
  vsFloor: result.requestsPerSecond / floorResult.requestsPerSecond,
  vsExpress: expressSearch ? result.requestsPerSecond / expressSearch.requestsPerSecond : undefined,
});
const docs = `${label(medium)} docs, ${plan.connections} conns`;
rows.push({ ...loadRow(`folio tools/call search (${docs})`, folioSearch), ...vs(folioSearch) });
if (expressSearch) {
  rows.push({
    ...loadRow(`express: SDK + better-sqlite3 search (${docs})`, expressSearch, 'no auth'),
    vsFloor: expressSearch.requestsPerSecond / floorResult.requestsPerSecond,
  });
}
rows.push({
  ...loadRow(`folio tools/call fetch (${docs})`, folioFetch),
  vsFloor: vs(folioFetch).vsFloor,
});
rows.push({
  ...loadRow(`folio tools/call create_document (${docs})`, folioCreate),
  vsFloor: vs(folioCreate).vsFloor,
});
rows.push({
  scenario: `oauth: register+authorize+exchange (${plan.oauthConcurrency} workers)`,
  requestsPerSecond: flow.perSecond,
  p50Ms: flow.p50Ms,
  p99Ms: flow.p99Ms,
  note: 'flows/s; 4 HTTP requests each',
});
rows.push({
  scenario: `oauth: refresh (${plan.oauthConcurrency} workers)`,
  requestsPerSecond: refresh.perSecond,
  p50Ms: refresh.p50Ms,
  p99Ms: refresh.p99Ms,
  note: 'refreshes/s',
});
rows.push({
  scenario: 'bearer check, CPU per request',
  note: `${fmtUs(bearerCost.checkBearerUs)} (signature+claims ${fmtUs(bearerCost.signatureAndClaimsUs)}, grant lookup ${fmtUs(bearerCost.grantLookupUs)})`,
});
extra.bearerCost = bearerCost;

function fmtUs(value: number | undefined): string {
  return `${(value ?? Number.NaN).toFixed(1)} µs`;
}

// --- 4: search latency as the library grows --------------------------------------------------
const searchAt = new Map<
  number,
  { http: LoadResult; inProcessP50Ms: number; inProcessP99Ms: number }
>();
let rssWithLarge = 0;
for (const size of plan.sizes) {
  log(`search latency at ${label(size)} documents`);
  const copy = copyDatabase(seededPath(size), runDir, `search-${size}`);
  const server = await startFolio(copy);
  const connection = await connect(server, 1);
  const http = await runLoad(
    {
      url: connection.mcpUrl,
      params: searchParams,
      sessions: connection.sessions,
      headers: { authorization: `Bearer ${connection.tokens.accessToken}` },
    },
    load(server, 1),
  );
  if (size === large) rssWithLarge = server.readRss();
  await server.stop();

  const storage = openStorage(copy);
  const userId = readUserId(copy);
  const timings: number[] = [];
  for (let round = 0; round < (smoke ? 2 : 5); round++) {
    for (const query of QUERIES) {
      const started = performance.now();
      searchDocuments(storage.db, userId, query);
      if (round > 0) timings.push(performance.now() - started);
    }
  }
  storage.close();
  timings.sort((a, b) => a - b);
  const at = (share: number) => timings[Math.floor(share * (timings.length - 1))] ?? Number.NaN;
  searchAt.set(size, { http, inProcessP50Ms: at(0.5), inProcessP99Ms: at(0.99) });
  rows.push({
    ...loadRow(`folio search latency, ${label(size)} docs, 1 conn`, http),
    note: `searchDocuments alone: p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms`,
  });
}

// --- 5: memory -------------------------------------------------------------------------------
log('memory: idle, per session');
const empty = join(runDir, 'empty.db');
folio = await startFolio(empty);
await Bun.sleep(smoke ? 200 : 1000);
const idleRss = folio.readRss();
const tokens = [];
for (let user = 0; user < plan.memoryUsers; user++) {
  const account = {
    email: `mem${user}@example.com`,
    password: 'bench password 1234',
    signUp: true,
  };
  tokens.push(await obtainTokens(folio.origin, new Browser(folio.origin), account));
}
await Bun.sleep(200);
const beforeSessions = folio.readRss();
for (const set of tokens) {
  for (let i = 0; i < plan.sessionsPerUser; i++)
    await openSession(`${folio.origin}/mcp`, set.accessToken);
}
await Bun.sleep(200);
const sessionCount = plan.memoryUsers * plan.sessionsPerUser;
const perSessionKiB = (folio.readRss() - beforeSessions) / sessionCount / 1024;
await folio.stop();
const mib = (bytes: number) => bytes / 2 ** 20;
rows.push({ scenario: 'memory: idle RSS, empty database', peakRssMiB: mib(idleRss) });
rows.push({
  scenario: `memory: RSS with ${label(large)} docs after search load`,
  peakRssMiB: mib(rssWithLarge),
});
rows.push({
  scenario: `memory: per open MCP session (${sessionCount} sessions)`,
  note: `${perSessionKiB.toFixed(1)} KiB per session`,
});

// --- 6: start-up of `bun run serve` ---------------------------------------------------------
async function timeStartup(databasePath: string): Promise<number> {
  const port = findFreePort();
  const started = performance.now();
  const child = Bun.spawn([process.execPath, 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      LOG_LEVEL: 'info',
    },
    stdout: 'pipe',
    stderr: 'ignore',
  });
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
  let seen = '';
  while (!seen.includes('"event":"started"')) {
    const { value, done } = await reader.read();
    if (done) throw new Error('bun run serve exited before it started');
    seen += new TextDecoder().decode(value);
  }
  const elapsed = performance.now() - started;
  child.kill('SIGTERM');
  await child.exited;
  return elapsed;
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
log('start-up');
const startupEmpty: number[] = [];
const startupLarge: number[] = [];
const largeCopy = copyDatabase(seededPath(large), runDir, 'startup-large');
for (let i = 0; i < plan.startups; i++) {
  startupEmpty.push(await timeStartup(join(runDir, `startup-empty-${i}.db`)));
  startupLarge.push(await timeStartup(largeCopy));
}
rows.push({
  scenario: 'start-up: bun run serve, empty database',
  note: `${median(startupEmpty).toFixed(0)} ms to listening (median of ${plan.startups})`,
});
rows.push({
  scenario: `start-up: bun run serve, ${label(large)} docs`,
  note: `${median(startupLarge).toFixed(0)} ms to listening (median of ${plan.startups})`,
});

rows.push({
  scenario: 'machine: 1-minute load average, start / end',
  note: `${loadAverageBefore} / ${readLoadAverage()} on ${cpus().length} cores (load from other work skews all rows)`,
});

// --- Targets -----------------------------------------------------------------------------
const mediumSearch = searchAt.get(medium);
const largeSearch = searchAt.get(large);
const targets: Target[] = [
  checkTarget(
    'search ≥ 0.5x floor req/s',
    '≥ 0.50x',
    folioSearch.requestsPerSecond / floorResult.requestsPerSecond,
    (v) => v >= 0.5,
    (v) => `${v.toFixed(2)}x`,
  ),
  checkTarget(
    'search ≥ 3x express req/s',
    '≥ 3.00x',
    expressSearch ? folioSearch.requestsPerSecond / expressSearch.requestsPerSecond : undefined,
    (v) => v >= 3,
    (v) => `${v.toFixed(2)}x`,
  ),
  checkTarget(
    `search p99 at ${label(medium)} docs, ${plan.connections} conns`,
    '< 10 ms',
    folioSearch.p99Ms,
    (v) => v < 10,
    (v) => `${v.toFixed(2)} ms`,
  ),
  checkTarget(
    `search p50 at ${label(large)} docs`,
    '< 10 ms',
    largeSearch?.http.p50Ms,
    (v) => v < 10,
    (v) => `${v.toFixed(2)} ms`,
  ),
  checkTarget(
    `search p50 growth ${label(medium)} -> ${label(large)}`,
    'well below 10x (< 3x)',
    largeSearch && mediumSearch ? largeSearch.http.p50Ms / mediumSearch.http.p50Ms : undefined,
    (v) => v < 3,
    (v) => `${v.toFixed(2)}x`,
  ),
  checkTarget(
    'bearer check CPU',
    '< 50 µs',
    bearerCost.checkBearerUs,
    (v) => v < 50,
    (v) => `${v.toFixed(1)} µs`,
  ),
];

const table = formatTable(rows, targets);
process.stdout.write(`\n${table}\n\n`);
if (hotFunctions.length > 0) {
  process.stderr.write(
    `Hottest functions (self time) under the search load:\n${hotFunctions.join('\n')}\n\n`,
  );
}
mkdirSync(resultsDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsPath = join(resultsDir, `bench-${smoke ? 'smoke-' : ''}${stamp}.json`);
writeFileSync(
  resultsPath,
  `${JSON.stringify(
    {
      kind: smoke ? 'smoke' : 'full',
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model,
        bun: Bun.version,
        node: process.versions.node,
      },
      plan,
      withExpress,
      loadGenerator: 'wrk -t1',
      rows,
      targets,
      extra,
      startupMs: { empty: startupEmpty, large: startupLarge },
      idleRssBytes: idleRss,
      perSessionKiB,
      table,
    },
    null,
    2,
  )}\n`,
);
process.stderr.write(`results: ${resultsPath}\n`);
rmSync(runDir, { recursive: true, force: true });
