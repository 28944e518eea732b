/**
 * The "client" the conformance suite runs for each scenario: `bun bridge-conformance-client.ts
 * <server-url>`. It is an MCP client driving folio-bridge over stdio, as Gemini CLI would: it
 * starts the bridge, lets the headless browser program finish the scenario's authorization
 * (the suite's authorization server redirects straight back), lists the tools, calls the first
 * one, and exits. Each run gets a fresh HOME, so no tokens carry over between scenarios.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { bridgeBin, bridgeEnv, killProcessTree, writeBrowserWrapper } from './bridge-harness.ts';

// Short, so a scenario the bridge cannot finish ends well inside the suite's 30 s limit.
const STEP_TIMEOUT_MS = 10_000;

const [serverUrl] = process.argv.slice(2);
if (!serverUrl) throw new Error('usage: bridge-conformance-client <server-url>');

const home = mkdtempSync(join(tmpdir(), 'folio-bridge-conformance-'));
const account = { email: 'conformance@example.com', password: 'not used', signUp: false };
const transport = new StdioClientTransport({
  command: 'node',
  args: [bridgeBin, serverUrl, '--sign-in-timeout', '15'],
  env: bridgeEnv(home, writeBrowserWrapper(home), account),
  stderr: 'inherit',
});
const client = new Client({ name: 'folio-bridge-conformance', version: '1.0.0' });

let exitCode = 0;
try {
  await client.connect(transport, { timeout: STEP_TIMEOUT_MS });
  const { tools } = await client.listTools(undefined, { timeout: STEP_TIMEOUT_MS });
  const [first] = tools;
  if (first) {
    await client.callTool({ name: first.name, arguments: {} }, undefined, {
      timeout: STEP_TIMEOUT_MS,
    });
  }
} catch (error) {
  console.error(`bridge-conformance-client: ${error instanceof Error ? error.message : error}`);
  exitCode = 1;
} finally {
  const pid = transport.pid;
  await client.close().catch(() => {});
  killProcessTree(pid);
  if (!process.env.FOLIO_KEEP_CONFORMANCE_HOME) rmSync(home, { recursive: true, force: true });
}
process.exit(exitCode);
