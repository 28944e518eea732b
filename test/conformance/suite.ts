import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs @modelcontextprotocol/conformance in server mode under Bun (its CLI needs Node 22 APIs)
 * and reads each scenario's checks back from its output folder.
 */

const cli = join(
  import.meta.dir,
  '../../node_modules/@modelcontextprotocol/conformance/dist/index.js',
);

export type Check = {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string;
  errorMessage?: string;
  details?: Record<string, unknown>;
};

export type SuiteRun = { checks: Map<string, Check[]>; output: string };

/** Server scenario names as `conformance list` prints them, pending ones included. */
export function listServerScenarios(): string[] {
  const listed = Bun.spawnSync([process.execPath, cli, 'list', '--server']);
  const text = listed.stdout.toString();
  return [...text.matchAll(/^ {2}- (\S+)/gm)].map((match) => match[1] as string);
}

export async function runServerSuite(mcpUrl: string, timeoutMs: number): Promise<SuiteRun> {
  const folder = mkdtempSync(join(tmpdir(), 'folio-conformance-'));
  try {
    const child = Bun.spawn(
      [process.execPath, cli, 'server', '--url', mcpUrl, '--suite', 'all', '-o', folder],
      { stdout: 'pipe', stderr: 'pipe', timeout: timeoutMs },
    );
    const [stdout, stderr] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    return { checks: readChecks(folder), output: `${stdout}\n${stderr}` };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Each result folder is `server-<scenario>-<ISO timestamp>/checks.json`. */
function readChecks(folder: string): Map<string, Check[]> {
  const checks = new Map<string, Check[]>();
  for (const entry of readdirSync(folder)) {
    const scenario = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(entry)?.[1];
    if (!scenario) continue;
    const text = readFileSync(join(folder, entry, 'checks.json'), 'utf8');
    checks.set(scenario, JSON.parse(text) as Check[]);
  }
  return checks;
}

export type ExpectedFailure = { scenario: string; reason: string; folioBug: boolean };

/** `[FOLIO-BUG:] <scenario>  <reason>` per line; `#` starts a comment. */
export function readExpectedFailures(path: string): Map<string, ExpectedFailure> {
  const entries = new Map<string, ExpectedFailure>();
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;

    const folioBug = line.startsWith('FOLIO-BUG:');
    const rest = folioBug ? line.slice('FOLIO-BUG:'.length).trim() : line;
    const [scenario = '', ...words] = rest.split(/\s+/);
    const reason = words.join(' ');
    if (reason === '') throw new Error(`expected-failures: "${scenario}" needs a reason`);
    if (entries.has(scenario)) throw new Error(`expected-failures: "${scenario}" is listed twice`);
    entries.set(scenario, { scenario, reason, folioBug });
  }
  return entries;
}
