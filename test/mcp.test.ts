import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Elysia } from 'elysia';
import { loadConfig } from '../src/config.ts';
import type { AppContext, VerifiedAccessToken } from '../src/context.ts';
import { countDocuments } from '../src/documents/index.ts';
import { createRateLimits } from '../src/http/rate-limit.ts';
import { createLogger } from '../src/log.ts';
import { createMcpRoutes, type McpRouteOptions } from '../src/mcp/route.ts';
import { toolScopes } from '../src/mcp/scopes.ts';
import { openStorage, type Storage } from '../src/storage/database.ts';
import { users } from '../src/storage/schema.ts';
import { allToolNames } from './support/sdk-client.ts';

const issuerUrl = 'https://folio.test';
const challenge =
  'Bearer resource_metadata="https://folio.test/.well-known/oauth-protected-resource/mcp", ' +
  'scope="documents:read documents:write"';
const bothScopes = ['documents:read', 'documents:write'];

// The verifier is the injected boundary: these strings stand in for signed access tokens.
const tokens: Record<string, VerifiedAccessToken> = {
  'token-alice': grant('alice', bothScopes),
  'token-bob': grant('bob', bothScopes),
  'token-alice-read': grant('alice', ['documents:read']),
};

function grant(userId: string, scopes: string[]): VerifiedAccessToken {
  return {
    userId,
    clientId: `client-${userId}`,
    grantId: `grant-${userId}`,
    scopes,
    expiresAt: 2e9,
  };
}

type Harness = {
  url: string;
  storage: Storage;
  logLines: string[];
  clock: { now: number };
  close(): Promise<void>;
};

let harness: Harness;
const clients: Client[] = [];

async function startHarness(options: McpRouteOptions = {}): Promise<Harness> {
  const storage = openStorage(':memory:');
  for (const id of ['alice', 'bob']) {
    storage.db
      .insert(users)
      .values({ id, email: `${id}@example.com`, createdAt: 0 })
      .run();
  }
  const logLines: string[] = [];
  const clock = { now: 1_700_000_000_000 };
  const config = loadConfig({
    PUBLIC_URL: issuerUrl,
    ALLOWED_ORIGINS: 'https://app.example',
    MAX_DOCUMENT_BYTES: '2048',
  });
  const ctx: AppContext = {
    config,
    storage,
    db: storage.db,
    logger: createLogger('debug', (line) => logLines.push(line)),
    rateLimits: createRateLimits(),
    now: () => clock.now,
  };
  const mcp = createMcpRoutes(ctx, async (token) => tokens[token] ?? null, options);
  const app = new Elysia().use(mcp.routes);
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: (request) => app.handle(request),
  });

  return {
    url: `http://127.0.0.1:${server.port}/mcp`,
    storage,
    logLines,
    clock,
    async close() {
      await mcp.close();
      await server.stop(true);
      storage.close();
    },
  };
}

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'folio-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(harness.url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function readJson(result: CallToolResult): Record<string, unknown> {
  expect(result.content).toHaveLength(1);
  const [item] = result.content;
  if (item?.type !== 'text') throw new Error('expected one text item');
  return JSON.parse(item.text);
}

function readErrorText(result: CallToolResult): string {
  expect(result.isError).toBe(true);
  const [item] = result.content;
  return item?.type === 'text' ? item.text : '';
}

async function createAs(client: Client, title: string, body: string): Promise<string> {
  const created = readJson(await call(client, 'create_document', { title, body }));
  return String(created.id);
}

function sessionIdOf(client: Client): string {
  const id = (client.transport as StreamableHTTPClientTransport | undefined)?.sessionId;
  if (!id) throw new Error('client has no session');
  return id;
}

async function postRpc(token: string, sessionId: string | null, message: object, version?: string) {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
  };
  if (sessionId) headers['Mcp-Session-Id'] = sessionId;
  if (version) headers['Mcp-Protocol-Version'] = version;
  return fetch(harness.url, { method: 'POST', headers, body: JSON.stringify(message) });
}

async function readRpcResult(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  const data = text.split('\n').find((line) => line.startsWith('data: '));
  return JSON.parse(data ? data.slice(6) : text);
}

beforeEach(async () => {
  harness = await startHarness();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await harness.close();
});

describe('/mcp bearer gate', () => {
  for (const method of ['POST', 'GET', 'HEAD', 'DELETE']) {
    it(`answers ${method} without a token with 401 and a resource_metadata challenge`, async () => {
      const response = await fetch(harness.url, { method });

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(challenge);
    });
  }

  it('adds error="invalid_token" for a bad token and never echoes it', async () => {
    const response = await fetch(harness.url, {
      method: 'POST',
      headers: { Authorization: 'Bearer forged-secret-value' },
    });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`${challenge}, error="invalid_token"`);
    expect(await response.text()).not.toContain('forged-secret-value');
  });

  it('answers on /mcp/ as on /mcp', async () => {
    const response = await fetch(`${harness.url}/`, { method: 'HEAD' });
    expect(response.status).toBe(401);
  });

  it('refuses a foreign Origin with 403 before looking at the token (DNS rebinding)', async () => {
    for (const token of ['token-alice', undefined]) {
      const headers: Record<string, string> = { Origin: 'https://evil.example' };
      if (token) headers.Authorization = `Bearer ${token}`;
      const response = await fetch(harness.url, { method: 'POST', headers });
      expect(response.status).toBe(403);
    }
  });

  it('lets the issuer and configured origins through', async () => {
    for (const origin of [issuerUrl, 'https://app.example']) {
      const response = await fetch(harness.url, { method: 'GET', headers: { Origin: origin } });
      expect(response.status).toBe(401);
    }
  });
});

describe('/mcp sessions', () => {
  for (const version of ['2025-03-26', '2025-06-18', '2025-11-25']) {
    it(`initializes with protocol version ${version}`, async () => {
      const response = await postRpc('token-alice', null, {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: version,
          capabilities: {},
          clientInfo: { name: 't', version: '1' },
        },
      });

      expect(response.status).toBe(200);
      expect(response.headers.get('mcp-session-id')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      const message = await readRpcResult(response);
      expect((message.result as { protocolVersion: string }).protocolVersion).toBe(version);
    });
  }

  it("answers a session of user A used with user B's token like an unknown session", async () => {
    const alice = await connect('token-alice');
    const sessionId = sessionIdOf(alice);

    const borrowed = await postRpc('token-bob', sessionId, {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/list',
    });
    const unknown = await postRpc('token-bob', 'no-such-session', {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/list',
    });
    expect(borrowed.status).toBe(404);
    expect(await borrowed.text()).toBe(await unknown.text());

    const deleteAttempt = await fetch(harness.url, {
      method: 'DELETE',
      headers: { Authorization: 'Bearer token-bob', 'Mcp-Session-Id': sessionId },
    });
    expect(deleteAttempt.status).toBe(404);
    expect((await alice.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('takes the scopes of each request from that request token', async () => {
    const reader = await connect('token-alice-read');
    const sessionId = sessionIdOf(reader);

    const response = await postRpc(
      'token-alice',
      sessionId,
      {
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'create_document', arguments: { title: 'Upgraded', body: 'text' } },
      },
      '2025-11-25',
    );
    const message = await readRpcResult(response);

    expect((message.result as CallToolResult).isError).toBeUndefined();
    expect(countDocuments(harness.storage.db, 'alice')).toBe(1);
  });

  it('ends a session on DELETE', async () => {
    const alice = await connect('token-alice');
    const sessionId = sessionIdOf(alice);
    await (alice.transport as StreamableHTTPClientTransport).terminateSession();

    const after = await postRpc('token-alice', sessionId, {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/list',
    });
    expect(after.status).toBe(404);
  });

  it('closes sessions idle for longer than the idle limit', async () => {
    await harness.close();
    harness = await startHarness({ idleMs: 1000, sweepIntervalMs: 10 });
    const alice = await connect('token-alice');
    const sessionId = sessionIdOf(alice);
    // Let the client's follow-up requests (its GET stream) land before time moves on.
    await Bun.sleep(30);

    harness.clock.now += 900;
    await Bun.sleep(50);
    const recent = await postRpc('token-alice', sessionId, {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/list',
    });
    expect(recent.status).toBe(200);

    harness.clock.now += 1001;
    await Bun.sleep(50);

    const after = await postRpc('token-alice', sessionId, {
      jsonrpc: '2.0',
      id: 4,
      method: 'tools/list',
    });
    expect(after.status).toBe(404);
  });

  it('closes the least recently used session of a user over the cap', async () => {
    await harness.close();
    harness = await startHarness({ maxPerUser: 2 });
    const first = await connect('token-alice');
    harness.clock.now += 1;
    const second = await connect('token-alice');
    harness.clock.now += 1;
    await connect('token-alice');
    const bob = await connect('token-bob');

    const evicted = await postRpc('token-alice', sessionIdOf(first), {
      jsonrpc: '2.0',
      id: 5,
      method: 'tools/list',
    });
    expect(evicted.status).toBe(404);
    expect((await second.listTools()).tools).toHaveLength(allToolNames.length);
    expect((await bob.listTools()).tools).toHaveLength(allToolNames.length);
  });
});

describe('/mcp tools/list', () => {
  it('lists every tool with input and output schemas and honest annotations', async () => {
    const client = await connect('token-alice');
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));

    expect(Object.keys(byName).sort()).toEqual(allToolNames);
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(40);
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.annotations?.openWorldHint).toBe(false);
    }
    for (const [name, scope] of Object.entries(toolScopes)) {
      expect(byName[name]?.annotations?.readOnlyHint).toBe(scope === 'documents:read');
    }
    for (const name of ['delete_document', 'purge_document', 'update_document']) {
      expect(byName[name]?.annotations?.destructiveHint).toBe(true);
    }
    expect(byName.delete_document?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    expect(byName.create_document?.annotations?.destructiveHint).toBe(false);
    expect(byName.search?.inputSchema.required).toEqual(['query']);
    expect(byName.fetch?.inputSchema.required).toEqual(['id']);
  });
});

describe('/mcp tools', () => {
  it('search answers in ChatGPT shape: one text item {"results":[{id,title,url}]}', async () => {
    const client = await connect('token-alice');
    const id = await createAs(client, 'Quarterly budget', 'Numbers for Q3');

    const result = await call(client, 'search', { query: 'budget' });
    const value = readJson(result);

    expect(value).toEqual({
      results: [{ id, title: 'Quarterly budget', url: `${issuerUrl}/documents/${id}` }],
    });
    expect(Object.keys((value.results as object[])[0] ?? {})).toEqual(['id', 'title', 'url']);
    expect(result.structuredContent).toEqual(value);
  });

  it('fetch answers in ChatGPT shape: one text item {id,title,text,url,metadata}', async () => {
    const client = await connect('token-alice');
    const id = await createAs(client, 'Café notes', 'Crème brûlée');

    const value = readJson(await call(client, 'fetch', { id }));

    expect(Object.keys(value)).toEqual(['id', 'title', 'text', 'url', 'metadata']);
    expect(value).toEqual({
      id,
      title: 'Café notes',
      text: 'Crème brûlée',
      url: `${issuerUrl}/documents/${id}`,
      metadata: {
        created_at: '2023-11-14T22:13:20.000Z',
        updated_at: '2023-11-14T22:13:20.000Z',
        size: 15,
        folder: '',
        tags: [],
        version: 1,
        total_length: 12,
        truncated: false,
      },
    });
  });

  it('creates, finds, updates, lists and deletes a document', async () => {
    const client = await connect('token-alice');
    const id = await createAs(client, 'Draft', 'first words');

    harness.clock.now += 1000;
    const updated = readJson(await call(client, 'update_document', { id, body: 'second words' }));
    expect(updated).toMatchObject({ id, title: 'Draft', size: 12 });
    expect(updated.updated_at).not.toBe(updated.created_at);

    expect(readJson(await call(client, 'search', { query: 'second' })).results).toHaveLength(1);
    expect(readJson(await call(client, 'search', { query: 'first' })).results).toHaveLength(0);

    const listed = readJson(await call(client, 'list_documents', {}));
    expect(listed).toMatchObject({ documents: [{ id, title: 'Draft' }], next_cursor: null });

    expect(readJson(await call(client, 'delete_document', { id }))).toMatchObject({
      id,
      deleted: true,
    });
    expect(readErrorText(await call(client, 'fetch', { id }))).toContain(id);
  });

  it('pages list_documents with next_cursor', async () => {
    const client = await connect('token-alice');
    for (const title of ['One', 'Two', 'Three']) {
      await createAs(client, title, 'x');
      harness.clock.now += 1;
    }

    const first = readJson(await call(client, 'list_documents', { limit: 2 }));
    const second = readJson(await call(client, 'list_documents', { cursor: first.next_cursor }));

    const titles = [first, second].flatMap((page) =>
      (page.documents as { title: string }[]).map((entry) => entry.title),
    );
    expect(titles).toEqual(['Three', 'Two', 'One']);
    expect(second.next_cursor).toBeNull();
  });

  it('refuses a call without its required id as a tool error naming the field', async () => {
    const client = await connect('token-alice');

    for (const name of ['fetch', 'update_document', 'delete_document']) {
      const text = readErrorText(await call(client, name, { title: 'T' }));
      expect(text).toContain('id');
      expect(text).toContain('Invalid arguments');
    }
  });

  it('refuses update_document with neither title nor body', async () => {
    const client = await connect('token-alice');
    const id = await createAs(client, 'Stable', 'unchanged');

    expect(readErrorText(await call(client, 'update_document', { id }))).toContain('title, body');
  });

  it('refuses an oversized body as a tool error naming the limit, storing nothing', async () => {
    const client = await connect('token-alice');

    const text = readErrorText(
      await call(client, 'create_document', { title: 'Big', body: 'x'.repeat(3000) }),
    );
    expect(text).toBe('body is 3,000 bytes; the limit is 2,048 bytes (MAX_DOCUMENT_BYTES)');
    expect(countDocuments(harness.storage.db, 'alice')).toBe(0);
  });

  it('refuses a bad title as a tool error', async () => {
    const client = await connect('token-alice');

    expect(
      readErrorText(await call(client, 'create_document', { title: ' ', body: 'x' })),
    ).toContain('title');
    expect(countDocuments(harness.storage.db, 'alice')).toBe(0);
  });

  it('refuses write tools without documents:write with a 403 step-up challenge', async () => {
    const reader = await connect('token-alice-read');

    for (const [name, args] of [
      ['create_document', { title: 'T', body: 'B' }],
      ['update_document', { id: 'x', title: 'T' }],
      ['delete_document', { id: 'x' }],
    ] as const) {
      const refused = await call(reader, name, args).then(
        () => 'answered',
        (error: Error) => error.message,
      );
      expect(refused).toContain('documents:write');
    }
    expect(countDocuments(harness.storage.db, 'alice')).toBe(0);
    expect(readJson(await call(reader, 'search', { query: 'anything' }))).toEqual({ results: [] });
  });

  it("keeps users apart in every tool: another user's id reads like a missing one", async () => {
    const alice = await connect('token-alice');
    const bob = await connect('token-bob');
    const id = await createAs(alice, 'Alice private', 'secret words');

    expect(readJson(await call(bob, 'search', { query: 'secret' }))).toEqual({ results: [] });
    expect(readJson(await call(bob, 'list_documents', {}))).toEqual({
      documents: [],
      subfolders: [],
      next_cursor: null,
    });
    for (const [name, args] of [
      ['fetch', {}],
      ['update_document', { title: 'Taken' }],
      ['delete_document', {}],
    ] as const) {
      const foreign = readErrorText(await call(bob, name, { id, ...args }));
      const missing = readErrorText(await call(bob, name, { id: 'missing-id', ...args }));
      expect(foreign.replace(id, 'ID')).toBe(missing.replace('missing-id', 'ID'));
    }

    const kept = readJson(await call(alice, 'fetch', { id }));
    expect(kept).toMatchObject({ title: 'Alice private', text: 'secret words' });
  });

  it('logs writes with ids and sizes but never titles or text', async () => {
    const client = await connect('token-alice');
    const id = await createAs(client, 'Confidential title', 'confidential body');
    await call(client, 'update_document', { id, body: 'revised body text' });
    await call(client, 'delete_document', { id });

    const events = harness.logLines.map((line) => JSON.parse(line));
    const written = events.filter((event) => event.event === 'document.written');
    expect(written).toHaveLength(2);
    expect(written[0]).toMatchObject({ user_id: 'alice', document_id: id, bytes: 17 });
    expect(events.find((event) => event.event === 'document.deleted')).toMatchObject({
      user_id: 'alice',
      document_id: id,
    });
    const log = harness.logLines.join('\n');
    for (const secret of ['Confidential', 'confidential', 'revised', 'token-alice']) {
      expect(log).not.toContain(secret);
    }
  });

  it('answers an unexpected failure with a generic tool error and logs its stack', async () => {
    const client = await connect('token-alice');
    harness.storage.sqlite.run('ALTER TABLE documents RENAME TO documents_gone');

    const text = readErrorText(await call(client, 'search', { query: 'anything' }));

    expect(text).toBe('search failed because of a server error; it has been logged');
    const failure = harness.logLines
      .map((line) => JSON.parse(line))
      .find((e) => e.event === 'mcp.tool.failed');
    expect(failure).toMatchObject({ tool: 'search', user_id: 'alice' });
    expect(failure.stack).toContain('at ');
  });
});
