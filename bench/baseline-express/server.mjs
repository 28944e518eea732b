import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import Database from 'better-sqlite3';
import express from 'express';
import { z } from 'zod';

/**
 * The way most MCP servers are written: the SDK's Streamable HTTP transport on Express (the
 * stateful pattern of the SDK's README, one transport per session), with the same search as
 * Folio's (same SQL, same ranking) over the same SQLite file through better-sqlite3. Like most
 * such servers it checks no bearer token; the documents of BENCH_USER_ID are searched.
 */

const userId = process.env.BENCH_USER_ID;
const db = new Database(process.env.DATABASE_PATH);
db.pragma('journal_mode = WAL');
const match = db.prepare(`
  select d.id as id, d.title as title,
    snippet(documents_fts, -1, '**', '**', '…', 24) as snippet,
    bm25(documents_fts, 10, 1) as rank
  from documents_fts
  join documents d on d.seq = documents_fts.rowid
  where documents_fts match ? and d.user_id = ?
  order by rank
  limit 10
`);
const issuerUrl = 'http://127.0.0.1';

function search(query) {
  const terms = query
    .split(/\s+/)
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .map((word) => `"${word.replaceAll('"', '""')}"`);
  if (terms.length === 0) return [];
  const rows = match.all(terms.join(' AND '), userId);
  if (rows.length > 0 || terms.length === 1) return rows;
  return match.all(terms.join(' OR '), userId);
}

function createServer() {
  const server = new McpServer({ name: 'baseline', version: '0.0.0' });
  server.registerTool(
    'search',
    {
      title: 'Search documents',
      description: 'Search documents by words in their titles and text.',
      inputSchema: { query: z.string().max(1000) },
      outputSchema: {
        results: z.array(z.object({ id: z.string(), title: z.string(), url: z.string() })),
      },
    },
    ({ query }) => {
      const results = search(query).map((row) => ({
        id: row.id,
        title: row.title,
        url: `${issuerUrl}/documents/${encodeURIComponent(row.id)}`,
      }));
      const value = { results };
      return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
    },
  );
  return server;
}

const transports = {};
const app = express();
app.use(express.json({ limit: '4mb' }));

app.post('/mcp', async (req, res) => {
  const sessionId = req.headers['mcp-session-id'];
  let transport = sessionId ? transports[sessionId] : undefined;
  if (!transport) {
    if (sessionId || !isInitializeRequest(req.body)) {
      res.status(400).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request' } });
      return;
    }
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        transports[id] = transport;
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) delete transports[transport.sessionId];
    };
    await createServer().connect(transport);
  }
  await transport.handleRequest(req, res, req.body);
});

const listener = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stderr.write(`ready ${listener.address().port}\n`);
});
process.on('SIGTERM', () => {
  listener.close();
  db.close();
  process.exit(0);
});
