import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { type RunningFolio, startFolio } from './support/folio.ts';
import { allToolNames, readJson } from './support/sdk-client.ts';

const STEP_TIMEOUT_MS = 45_000;
// Room for one slow step and the diagnostics; bun's default of 5 s is too tight for cold starts.
const TEST_TIMEOUT_MS = 55_000;
const EXIT_PATIENCE_MS = 3_000;

const projectRoot = join(import.meta.dir, '..');
const browserProgram = join(import.meta.dir, 'support', 'browser-program.ts');

/**
 * mcp-remote as people run it: a separate stdio process that finds Folio's authorization server
 * from the 401, registers itself, opens the browser (here `$BROWSER`, a program that signs up and
 * consents over HTTP), takes the code on its loopback listener, and then forwards MCP messages.
 * Its tokens live under MCP_REMOTE_CONFIG_DIR, so a second start needs no browser.
 */
describe('mcp-remote over stdio', () => {
  let folio: RunningFolio;
  let folder: string;
  let proxyEntry: string;
  let browser: string;
  const proxies = new Set<McpRemoteProcess>();
  const account = { email: 'grace@example.com', password: 'correct horse battery' };
  let documentId = '';

  beforeAll(async () => {
    folio = await startFolio();
    folder = mkdtempSync(join(tmpdir(), 'folio-mcp-remote-'));
    proxyEntry = await findProxyEntry();
    browser = writeBrowserWrapper(folder);
  });

  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    await folio?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }, 15_000);

  function startProxy(options: { signUp: boolean }) {
    const proxy = new McpRemoteProcess('node', [proxyEntry, folio.mcpUrl, '--allow-http'], {
      ...headlessEnv(folder, browser),
      FOLIO_TEST_EMAIL: account.email,
      FOLIO_TEST_PASSWORD: account.password,
      FOLIO_TEST_SIGNUP: options.signUp ? '1' : '0',
    });
    proxies.add(proxy);
    return proxy;
  }

  it(
    'signs up once through the browser, then creates, finds and fetches a document',
    async () => {
      const proxy = startProxy({ signUp: true });
      const client = new Client({ name: 'folio-mcp-remote-test', version: '1.0.0' });

      await explainFailure(proxy, folder, async () => {
        await client.connect(proxy, { timeout: STEP_TIMEOUT_MS });
        expect(client.getServerVersion()?.name).toBe('folio');

        const tools = await client.listTools(undefined, { timeout: STEP_TIMEOUT_MS });
        expect(tools.tools.map((tool) => tool.name).sort()).toEqual(allToolNames);

        const body = 'Sow the beans in rows.\n\nÉté : arroser le soir — 🌱 "quotes" & <tags>';
        const created = await client.callTool(
          { name: 'create_document', arguments: { title: 'Seed calendar', body } },
          undefined,
          { timeout: STEP_TIMEOUT_MS },
        );
        expect(created.isError).toBeFalsy();
        documentId = (created.structuredContent as { id: string }).id;
        expect(documentId).toBeString();

        const found = readJson(
          await client.callTool({ name: 'search', arguments: { query: 'beans rows' } }, undefined, {
            timeout: STEP_TIMEOUT_MS,
          }),
        );
        expect(found).toEqual({
          results: [
            {
              id: documentId,
              title: 'Seed calendar',
              url: `${folio.origin}/documents/${documentId}`,
            },
          ],
        });

        const fetched = readJson(
          await client.callTool({ name: 'fetch', arguments: { id: documentId } }, undefined, {
            timeout: STEP_TIMEOUT_MS,
          }),
        );
        expect(fetched).toMatchObject({
          id: documentId,
          title: 'Seed calendar',
          text: body,
          url: `${folio.origin}/documents/${documentId}`,
        });
      });
      await client.close();

      const runs = browserRuns(folder);
      expect(runs.filter((line) => line.includes(' open '))).toHaveLength(1);
      expect(runs.some((line) => line.includes('signed up and consented'))).toBe(true);
      expect(runs.some((line) => line.includes('callback answered 200'))).toBe(true);
      expect(storedTokenFiles(folder)).toHaveLength(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'starts again from its stored tokens without opening the browser',
    async () => {
      expect(documentId).not.toBe('');
      const proxy = startProxy({ signUp: false });
      const client = new Client({ name: 'folio-mcp-remote-test', version: '1.0.0' });

      await explainFailure(proxy, folder, async () => {
        await client.connect(proxy, { timeout: STEP_TIMEOUT_MS });
        const fetched = readJson(
          await client.callTool({ name: 'fetch', arguments: { id: documentId } }, undefined, {
            timeout: STEP_TIMEOUT_MS,
          }),
        );
        expect(fetched.title).toBe('Seed calendar');
      });
      await client.close();

      expect(browserRuns(folder).filter((line) => line.includes(' open '))).toHaveLength(1);
      expect(proxy.stderr).not.toContain('Please authorize this client');
    },
    TEST_TIMEOUT_MS,
  );
});

/**
 * A stdio transport for the MCP SDK client that starts its command in a process group of its
 * own, so closing it ends everything the command started. (The SDK's StdioClientTransport shares
 * the test runner's group, where a group kill would take the runner down too.)
 */
class McpRemoteProcess implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  stderr = '';

  private child?: ChildProcessWithoutNullStreams;
  private exited?: Promise<void>;
  private readonly buffer = new ReadBuffer();

  constructor(
    private readonly command: string,
    private readonly args: string[],
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    const child = spawn(this.command, this.args, { env: this.env, detached: true });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => this.onclose?.());

    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      this.buffer.append(chunk);
      this.drain();
    });
    child.on('error', (error) => this.onerror?.(error));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.child?.stdin.write(serializeMessage(message));
  }

  /** Ends the whole process group: politely, then not. Safe to call twice. */
  async close(): Promise<void> {
    if (!this.child?.pid || this.child.exitCode !== null || this.child.signalCode !== null) return;
    signalGroup(this.child.pid, 'SIGTERM');
    const timer = (ms: number) => new Promise<'late'>((resolve) => setTimeout(resolve, ms, 'late'));
    if ((await Promise.race([this.exited, timer(EXIT_PATIENCE_MS)])) === 'late') {
      signalGroup(this.child.pid, 'SIGKILL');
      await this.exited;
    }
  }

  private drain(): void {
    for (;;) {
      try {
        const message = this.buffer.readMessage();
        if (!message) return;
        this.onmessage?.(message);
      } catch (error) {
        this.onerror?.(error as Error);
      }
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ESRCH') throw error;
  }
}

/** The file named by mcp-remote's own `bin`, run with Node as `npx mcp-remote` would. */
async function findProxyEntry(): Promise<string> {
  const packageFolder = join(projectRoot, 'node_modules', 'mcp-remote');
  const manifest = (await Bun.file(join(packageFolder, 'package.json')).json()) as {
    bin: Record<string, string>;
  };
  const entry = manifest.bin['mcp-remote'];
  if (!entry) throw new Error('mcp-remote package.json has no bin named mcp-remote');
  return join(packageFolder, entry);
}

/**
 * `$BROWSER` for the child. xdg-open splits it on ':' and runs it unquoted, so the wrapper's path
 * must hold neither a colon nor a space.
 */
function writeBrowserWrapper(folder: string): string {
  const wrapper = join(folder, 'browser');
  if (/[:\s]/.test(wrapper)) throw new Error(`temporary folder unusable for $BROWSER: ${folder}`);
  writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${browserProgram}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

/**
 * The child's environment: no display, so the `open` package's bundled xdg-open falls back to
 * `$BROWSER <url>`; a private HOME and MCP_REMOTE_CONFIG_DIR, so no tokens leak between runs.
 */
function headlessEnv(folder: string, browser: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined) env[name] = value;
  }
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'XDG_CURRENT_DESKTOP', 'KDE_FULL_SESSION']) {
    delete env[name];
  }
  return {
    ...env,
    HOME: folder,
    MCP_REMOTE_CONFIG_DIR: join(folder, 'mcp-auth'),
    BROWSER: browser,
    FOLIO_TEST_BROWSER_LOG: join(folder, 'browser.log'),
  };
}

function browserRuns(folder: string): string[] {
  const path = join(folder, 'browser.log');
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n') : [];
}

function storedTokenFiles(folder: string): string[] {
  const configFolder = join(folder, 'mcp-auth', 'mcp-remote-v1');
  return existsSync(configFolder)
    ? readdirSync(configFolder).filter((name) => name.endsWith('_tokens.json'))
    : [];
}

/** On failure, prints what mcp-remote said (it narrates each OAuth step) and the browser log. */
async function explainFailure(proxy: McpRemoteProcess, folder: string, steps: () => Promise<void>) {
  try {
    await steps();
  } catch (error) {
    console.error(
      `--- mcp-remote stderr ---\n${proxy.stderr.slice(-6000)}\n` +
        `--- browser log ---\n${browserRuns(folder).join('\n')}`,
    );
    throw error;
  }
}
