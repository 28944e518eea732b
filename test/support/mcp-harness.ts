import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Elysia } from 'elysia';
import { type Config, loadConfig } from '../../src/config.ts';
import type { AppContext, VerifiedAccessToken } from '../../src/context.ts';
import type { DocumentSettings } from '../../src/documents/index.ts';
import { createRateLimits } from '../../src/http/rate-limit.ts';
import { silentLogger } from '../../src/log.ts';
import { createMcpRoutes } from '../../src/mcp/route.ts';
import { openStorage, type Storage } from '../../src/storage/database.ts';
import { users } from '../../src/storage/schema.ts';

/**
 * The /mcp route on a loopback port with stand-in tokens: `alice-a` and `alice-b` are one user
 * through two clients (client-a, client-b), `bob` another user, `alice-read` read-only.
 * Document settings the config does not know yet can be passed as `settings`.
 */
export type McpHarness = {
  url: string;
  storage: Storage;
  clock: { now: number };
  connect(token: string): Promise<Client>;
  close(): Promise<void>;
};

const both = ['documents:read', 'documents:write'];
const tokens: Record<string, VerifiedAccessToken> = {
  'alice-a': grant('alice', 'client-a', both),
  'alice-b': grant('alice', 'client-b', both),
  bob: grant('bob', 'client-bob', both),
  'alice-read': grant('alice', 'client-r', ['documents:read']),
};

function grant(userId: string, clientId: string, scopes: string[]): VerifiedAccessToken {
  return { userId, clientId, grantId: `grant-${clientId}`, scopes, expiresAt: 2e9 };
}

export async function startMcpHarness(
  settings: Partial<DocumentSettings> = {},
): Promise<McpHarness> {
  const storage = openStorage(':memory:');
  for (const id of ['alice', 'bob']) {
    storage.db
      .insert(users)
      .values({ id, email: `${id}@example.com`, createdAt: 0 })
      .run();
  }
  const clock = { now: 1_700_000_000_000 };
  const config = {
    ...loadConfig({ PUBLIC_URL: 'https://folio.test', MAX_DOCUMENT_BYTES: '65536' }),
    ...settings,
  } as Config;
  const ctx: AppContext = {
    config,
    storage,
    db: storage.db,
    logger: silentLogger,
    rateLimits: createRateLimits(),
    now: () => clock.now,
  };
  const mcp = createMcpRoutes(ctx, async (token) => tokens[token] ?? null);
  const app = new Elysia().use(mcp.routes);
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (r) => app.handle(r) });
  const url = `http://127.0.0.1:${server.port}/mcp`;
  const clients: Client[] = [];

  return {
    url,
    storage,
    clock,
    async connect(token) {
      const client = new Client({ name: 'folio-test', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((client) => client.close()));
      await mcp.close();
      await server.stop(true);
      storage.close();
    },
  };
}

export async function callTool(client: Client, name: string, args: Record<string, unknown>) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The JSON of a successful tool result's single text item. */
export async function callJson(client: Client, name: string, args: Record<string, unknown>) {
  const result = await callTool(client, name, args);
  const [item] = result.content;
  if (result.isError || result.content.length !== 1 || item?.type !== 'text') {
    throw new Error(`${name} failed: ${JSON.stringify(result.content).slice(0, 300)}`);
  }
  return JSON.parse(item.text) as Record<string, unknown>;
}

/** The message of a tool error; fails when the call succeeded. */
export async function callError(client: Client, name: string, args: Record<string, unknown>) {
  const result = await callTool(client, name, args);
  const [item] = result.content;
  if (!result.isError || item?.type !== 'text') {
    throw new Error(`${name} was expected to fail: ${JSON.stringify(result.content)}`);
  }
  return item.text;
}
