import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  type Account,
  bridgeBin,
  bridgeEnv,
  browserOpens,
  browserRuns,
  killProcessTree,
  runBridgeCommand,
  storedFiles,
  writeBrowserWrapper,
} from './support/bridge-harness.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import { allToolNames, readJson } from './support/sdk-client.ts';

const STEP_TIMEOUT_MS = 40_000;
const TEST_TIMEOUT_MS = 50_000;

/**
 * folio-bridge started as Gemini CLI starts a stdio server: the MCP SDK's stdio transport
 * spawning `node bridge/bin/folio-bridge.mjs <url>`. The browser step is the headless browser
 * program behind `$BROWSER`.
 */
describe('folio-bridge <url> over stdio', () => {
  let folio: RunningFolio;
  let home: string;
  let browser: string;
  const sessions = new Set<{ client: Client; transport: StdioClientTransport }>();
  const account = { email: 'ada@example.com', password: 'correct horse battery' };
  let documentId = '';

  beforeAll(async () => {
    folio = await startFolio();
    home = mkdtempSync(join(tmpdir(), 'folio-bridge-'));
    browser = writeBrowserWrapper(home);
  });

  afterAll(async () => {
    for (const { client, transport } of sessions) {
      const pid = transport.pid;
      await client.close().catch(() => {});
      killProcessTree(pid);
    }
    await folio?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  }, 15_000);

  async function startBridge(signIn: Account) {
    const transport = new StdioClientTransport({
      command: 'node',
      args: [bridgeBin, folio.mcpUrl],
      env: bridgeEnv(home, browser, signIn),
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const client = new Client({ name: 'gemini-cli-stand-in', version: '1.0.0' });
    const session = { client, transport, stderr: () => stderr };
    sessions.add(session);
    try {
      await client.connect(transport, { timeout: STEP_TIMEOUT_MS });
    } catch (error) {
      explain(stderr);
      throw error;
    }
    return session;
  }

  async function stopBridge(session: { client: Client; transport: StdioClientTransport }) {
    const pid = session.transport.pid;
    await session.client.close();
    killProcessTree(pid);
    sessions.delete(session);
  }

  function explain(stderr: string) {
    console.error(
      `--- bridge stderr ---\n${stderr.slice(-6000)}\n--- browser log ---\n${browserRuns(home).join('\n')}`,
    );
  }

  async function call(client: Client, name: string, args: Record<string, unknown>) {
    return client.callTool({ name, arguments: args }, undefined, { timeout: STEP_TIMEOUT_MS });
  }

  it(
    'signs in once through the browser, then lists tools, searches and fetches',
    async () => {
      const session = await startBridge({ ...account, signUp: true });
      try {
        const tools = await session.client.listTools(undefined, { timeout: STEP_TIMEOUT_MS });
        expect(tools.tools.map((tool) => tool.name).sort()).toEqual(allToolNames);

        const created = await call(session.client, 'create_document', {
          title: 'Bridge notes',
          body: 'The bridge carries tomatoes over stdio.',
        });
        documentId = (created.structuredContent as { id: string }).id;

        const found = readJson(await call(session.client, 'search', { query: 'tomatoes' }));
        expect(found).toEqual({
          results: [
            {
              id: documentId,
              title: 'Bridge notes',
              url: `${folio.origin}/documents/${documentId}`,
            },
          ],
        });
        const fetched = readJson(await call(session.client, 'fetch', { id: documentId }));
        expect(fetched).toMatchObject({ id: documentId, title: 'Bridge notes' });
      } catch (error) {
        explain(session.stderr());
        throw error;
      }
      await stopBridge(session);

      expect(browserOpens(home)).toBe(1);
      const opened = browserRuns(home).find((line) => line.includes(' open ')) ?? '';
      expect(opened).toContain('scope="documents:read documents:write"');
      expect(session.stderr()).toContain(`folio-bridge: sign in to ${folio.origin}`);
      const { clientId } = storedFiles(home);
      const registered = folio.storage.sqlite
        .query('select client_name from clients where client_id = ?')
        .get(clientId) as { client_name: string } | null;
      expect(registered?.client_name).toStartWith('Folio Bridge ');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'starts again from its stored tokens without a new sign-in',
    async () => {
      expect(documentId).not.toBe('');
      const session = await startBridge({ ...account, signUp: false });
      const fetched = readJson(await call(session.client, 'fetch', { id: documentId }));
      expect(fetched.title).toBe('Bridge notes');
      await stopBridge(session);

      expect(browserOpens(home)).toBe(1);
      expect(session.stderr()).not.toContain('Please authorize this client');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports a revoked grant, and one new sign-in restores service in the same session',
    async () => {
      const session = await startBridge({ ...account, signUp: false });
      const { tokens, clientId } = storedFiles(home);
      const revoked = await fetch(`${folio.origin}/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          token: String(tokens.refresh_token),
          token_type_hint: 'refresh_token',
          client_id: clientId,
        }),
      });
      expect(revoked.status).toBe(200);

      // mcp-remote 0.15.1 sometimes loses its own sign-in state when the tool call and its
      // event stream both meet the 401 at once ("discoveryState was not available on the
      // callback leg"): that call fails, and the next one signs in again and succeeds.
      let raced = false;
      const fetchAgain = () => call(session.client, 'fetch', { id: documentId });
      try {
        let result = await fetchAgain().catch((error: Error) => {
          if (!error.message.includes('discoveryState was not available')) throw error;
          raced = true;
          return fetchAgain();
        });
        expect(readJson(result).title).toBe('Bridge notes');
        result = await fetchAgain();
        expect(readJson(result).title).toBe('Bridge notes');
      } catch (error) {
        explain(session.stderr());
        throw error;
      }
      await stopBridge(session);

      expect(session.stderr()).toContain(
        `folio-bridge: ${folio.origin} no longer accepts the saved sign-in`,
      );
      expect(session.stderr()).toContain(`folio-bridge: signed in to ${folio.origin} again.`);
      expect(browserOpens(home)).toBe(raced ? 3 : 2);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'status names the server and the expiry, and never prints a token',
    async () => {
      const { tokens } = storedFiles(home);
      const result = await runBridgeCommand(
        ['status'],
        bridgeEnv(home, browser, { ...account, signUp: false }),
      );

      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`${folio.mcpUrl}: access token valid until `);
      expect(result.stdout).toContain('renewed automatically');
      expect(result.stdout).not.toContain(String(tokens.access_token));
      expect(result.stdout).not.toContain(String(tokens.refresh_token));
    },
    TEST_TIMEOUT_MS,
  );
});
