/**
 * Runs folio-bridge the way AI clients and people do: as `node bridge/bin/folio-bridge.mjs`,
 * with a private HOME and no display, so mcp-remote's `open` falls back to `$BROWSER`, here the
 * headless browser program. Nothing here changes how the other helpers behave.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const bridgeBin = join(import.meta.dir, '..', '..', 'bridge', 'bin', 'folio-bridge.mjs');
const browserProgram = join(import.meta.dir, 'browser-program.ts');

export type Account = { email: string; password: string; signUp: boolean };

/**
 * `$BROWSER` for mcp-remote. xdg-open splits it on ':' and runs it unquoted, so the wrapper's
 * path must hold neither a colon nor a space.
 */
export function writeBrowserWrapper(folder: string): string {
  const wrapper = join(folder, 'browser');
  if (/[:\s]/.test(wrapper)) throw new Error(`temporary folder unusable for $BROWSER: ${folder}`);
  writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${browserProgram}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

/** The bridge's environment: HOME is `home`, no display, `$BROWSER` signs in as `account`. */
export function bridgeEnv(home: string, browser: string, account: Account): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined) env[name] = value;
  }
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'XDG_CURRENT_DESKTOP', 'KDE_FULL_SESSION']) {
    delete env[name];
  }
  delete env.MCP_REMOTE_CONFIG_DIR;
  delete env.FOLIO_BRIDGE_HOME;
  return {
    ...env,
    HOME: home,
    BROWSER: browser,
    FOLIO_TEST_BROWSER_LOG: join(home, 'browser.log'),
    FOLIO_TEST_EMAIL: account.email,
    FOLIO_TEST_PASSWORD: account.password,
    FOLIO_TEST_SIGNUP: account.signUp ? '1' : '0',
  };
}

/** One line per step of each browser run, from the browser program's log. */
export function browserRuns(home: string): string[] {
  const path = join(home, 'browser.log');
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n') : [];
}

export function browserOpens(home: string): number {
  return browserRuns(home).filter((line) => line.includes(' open ')).length;
}

/** mcp-remote's stored files for the one server signed in to from `home`. */
export function storedFiles(home: string): { tokens: Record<string, unknown>; clientId: string } {
  const folder = join(home, '.folio-bridge', 'mcp-remote-v1');
  const names = readdirSync(folder);
  const tokensName = names.find((name) => name.endsWith('_tokens.json'));
  const clientName = names.find((name) => name.endsWith('_client_info.json'));
  if (!tokensName || !clientName) throw new Error(`no stored sign-in in ${folder}: ${names}`);
  const client = JSON.parse(readFileSync(join(folder, clientName), 'utf8')) as {
    client_id: string;
  };
  return {
    tokens: JSON.parse(readFileSync(join(folder, tokensName), 'utf8')),
    clientId: client.client_id,
  };
}

export type CommandResult = { code: number | null; stdout: string; stderr: string };

/**
 * Runs one bridge command to its end in a process group of its own, killed whole if it
 * outlives `timeoutMs`.
 */
export async function runBridgeCommand(
  args: string[],
  env: Record<string, string>,
  options: { timeoutMs?: number; onStderr?: (text: string) => void; signal?: AbortSignal } = {},
): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  // stdin stays open, as an AI client keeps it: mcp-remote shuts down when it ends.
  const child = spawn('node', [bridgeBin, ...args], { env, detached: true, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    options.onStderr?.(stderr);
  });
  const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), timeoutMs);
  options.signal?.addEventListener('abort', () => signalGroup(child.pid, 'SIGTERM'));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  child.stdin.destroy();
  signalGroup(child.pid, 'SIGKILL');
  return { code, stdout, stderr };
}

/**
 * Kills a process and everything below it, found through /proc, for children spawned by the
 * SDK's StdioClientTransport, which shares the test runner's process group.
 */
export function killProcessTree(pid: number | null | undefined): void {
  if (!pid) return;
  for (const descendant of [pid, ...descendantsOf(pid)]) {
    try {
      process.kill(descendant, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
      found.push(child, ...descendantsOf(child));
    }
  }
  return found;
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group has already ended.
  }
}
