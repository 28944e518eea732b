import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type BearerProxy, startBearerProxy } from './conformance/bearer-proxy.ts';
import { judgeScenario } from './conformance/judge.ts';
import {
  listServerScenarios,
  readExpectedFailures,
  runServerSuite,
  type SuiteRun,
} from './conformance/suite.ts';
import { Browser } from './support/browser.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import { exchange, obtainCode, signUp } from './support/oauth.ts';

// The official MCP conformance suite (server mode, every scenario including pending ones)
// against a live Folio. The suite cannot send a token, so it talks to a loopback proxy that adds
// one; Folio's PUBLIC_URL is the proxy's origin, as behind a TLS proxy that keeps Host.

const scenarios = listServerScenarios();
const expectedFailures = readExpectedFailures(
  join(import.meta.dir, 'conformance/expected-failures.txt'),
);

let proxy: BearerProxy;
let folio: RunningFolio;
let run: SuiteRun;

beforeAll(async () => {
  proxy = startBearerProxy();
  folio = await startFolio({ env: { PUBLIC_URL: proxy.origin } });
  proxy.forwardTo(folio.origin);
  proxy.useToken(await obtainAccessToken());
  await createOneDocument();

  run = await runServerSuite(proxy.mcpUrl, 45_000);
}, 60_000);

afterAll(async () => {
  proxy?.stop();
  await folio?.close();
});

/** The real flow, through the proxy: sign-up, consent, code exchange. */
async function obtainAccessToken(): Promise<string> {
  const front = { ...folio, origin: proxy.origin };
  const browser = new Browser(proxy.origin);
  await signUp(browser);
  const { response, body } = await exchange(front, await obtainCode(front, browser));
  if (response.status !== 200 || !body.access_token) {
    throw new Error(`token exchange failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

/** So resources/list has something whose shape the suite can check. */
async function createOneDocument(): Promise<void> {
  const client = new Client({ name: 'conformance-seed', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(proxy.mcpUrl)));
  const result = await client.callTool({
    name: 'create_document',
    arguments: { title: 'Conformance notes', body: 'A document for the suite to list.' },
  });
  await client.close();
  if (result.isError) throw new Error(`create_document failed: ${JSON.stringify(result)}`);
}

describe('MCP conformance suite (server mode) through the bearer proxy', () => {
  it('knows every scenario named in expected-failures.txt', () => {
    expect(scenarios).toContain('server-initialize');
    const unknown = [...expectedFailures.keys()].filter((name) => !scenarios.includes(name));
    expect(unknown).toEqual([]);
  });

  it('reaches Folio with a valid token: no /mcp request is answered 401', () => {
    const refused = proxy.exchanges.filter((exchange) => exchange.status === 401);
    expect(refused).toEqual([]);
    expect(proxy.exchanges.length).toBeGreaterThan(scenarios.length);
  });

  it('forwards the rebinding probe with its Host and Origin, and Folio answers 403', () => {
    const probes = proxy.exchanges.filter((exchange) => exchange.host === 'evil.example.com');
    expect(probes).toEqual([
      {
        method: 'POST',
        path: '/mcp',
        host: 'evil.example.com',
        origin: 'http://evil.example.com',
        status: 403,
      },
    ]);
  });

  for (const scenario of scenarios) {
    const expected = expectedFailures.get(scenario);
    const rule = expected ? `fails as listed: ${expected.reason}` : 'passes';

    it(`${scenario} ${rule}`, () => {
      const failures = judgeScenario(run.checks.get(scenario));
      if (!expected) {
        expect(failures).toEqual([]);
        return;
      }
      if (failures.length === 0) {
        throw new Error(`${scenario} passes now: delete its line from expected-failures.txt`);
      }
    });
  }
});
