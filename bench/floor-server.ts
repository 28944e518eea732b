/**
 * The floor: a bare Bun.serve that answers every POST with one fixed JSON-RPC result shaped like
 * Folio's search answer. No auth, no database, no MCP session: what the runtime alone costs.
 */

const results = {
  results: [{ id: 'AAAAAAAAAAAAAAAAAAAAAA', title: 'ls - list directory contents', url: 'x' }],
};
const body = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  result: {
    content: [{ type: 'text', text: JSON.stringify(results) }],
    structuredContent: results,
  },
});

const server = Bun.serve({
  port: Number(process.env.PORT ?? 0),
  hostname: '127.0.0.1',
  idleTimeout: 0,
  fetch: () => new Response(body, { headers: { 'Content-Type': 'application/json' } }),
});
process.stderr.write(`ready ${server.port}\n`);
process.on('SIGTERM', () => {
  server.stop(true);
  process.exit(0);
});
