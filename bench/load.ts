import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * HTTP load from wrk (Debian's package), a separate process on loopback: one thread, a fixed
 * number of connections, a warm-up run whose numbers are thrown away, then a measured run
 * bounded in time. Peak memory is the server's highest RSS sampled during the measured run.
 */

export type LoadTarget = {
  url: string;
  /** JSON-RPC `params` objects, sent in turn. */
  params: unknown[];
  method?: string;
  headers?: Record<string, string>;
  /** Mcp-Session-Id values, used in turn (request n goes to session n mod length). */
  sessions?: string[];
};

export type LoadOptions = {
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** Reads the server's resident set size in bytes. */
  readRss: () => number;
};

export type LoadResult = {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Non-2xx answers, timeouts and socket errors during the measured run. */
  errors: number;
  peakRssMiB: number;
};

export async function runLoad(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  const folder = mkdtempSync(join(tmpdir(), 'folio-bench-wrk-'));
  try {
    const warmupScript = join(folder, 'warmup.lua');
    const measuredScript = join(folder, 'measured.lua');
    writeFileSync(warmupScript, buildScript(target, 1_000_000_000));
    writeFileSync(measuredScript, buildScript(target, 2_000_000_000));

    if (options.warmupSeconds > 0) {
      await runWrk(target.url, warmupScript, options.connections, options.warmupSeconds);
    }
    let peak = options.readRss();
    const sampler = setInterval(() => {
      peak = Math.max(peak, options.readRss());
    }, 50);
    const summary = await runWrk(target.url, measuredScript, options.connections, options.seconds);
    clearInterval(sampler);
    peak = Math.max(peak, options.readRss());

    const seconds = summary.duration_us / 1e6;
    return {
      requests: summary.requests,
      requestsPerSecond: summary.requests / seconds,
      p50Ms: summary.p50_us / 1000,
      p99Ms: summary.p99_us / 1000,
      maxMs: summary.max_us / 1000,
      errors:
        summary.errors_status +
        summary.errors_connect +
        summary.errors_read +
        summary.errors_write +
        summary.errors_timeout,
      peakRssMiB: peak / 2 ** 20,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

type WrkSummary = {
  requests: number;
  duration_us: number;
  errors_status: number;
  errors_connect: number;
  errors_read: number;
  errors_write: number;
  errors_timeout: number;
  p50_us: number;
  p99_us: number;
  max_us: number;
};

async function runWrk(url: string, script: string, connections: number, seconds: number) {
  const child = Bun.spawn(
    ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, url],
    { stdout: 'pipe', stderr: 'pipe' },
  );
  const [output, errors, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  const line = /^BENCH_JSON (.+)$/m.exec(output)?.[1];
  if (code !== 0 || !line) throw new Error(`wrk failed (${code}): ${errors}${output}`);
  return JSON.parse(line) as WrkSummary;
}

/** A wrk Lua script: unique JSON-RPC ids from `firstId`, params and sessions in turn. */
function buildScript(target: LoadTarget, firstId: number): string {
  const headers = {
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
    ...target.headers,
  };
  const method = target.method ?? 'tools/call';
  const prefix = `{"jsonrpc":"2.0","method":${JSON.stringify(method)},"params":`;
  return `
local bodies = { ${target.params.map((params) => luaString(JSON.stringify(params))).join(',\n')} }
local sessions = { ${(target.sessions ?? []).map(luaString).join(', ')} }
local headers = { ${Object.entries(headers)
    .map(([name, value]) => `[ ${luaString(name)} ] = ${luaString(value)}`)
    .join(', ')} }
local counter = ${firstId}
local path = ${luaString(new URL(target.url).pathname)}

request = function()
  counter = counter + 1
  if #sessions > 0 then headers["Mcp-Session-Id"] = sessions[counter % #sessions + 1] end
  local body = ${luaString(prefix)} .. bodies[counter % #bodies + 1] .. ',"id":' .. string.format("%d", counter) .. '}'
  return wrk.format("POST", path, headers, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"errors_status":%d,"errors_connect":%d,' ..
    '"errors_read":%d,"errors_write":%d,"errors_timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
`;
}

function luaString(text: string): string {
  let level = '';
  while (text.includes(`]${level}]`)) level += '=';
  return `[${level}[${text}]${level}]`;
}
