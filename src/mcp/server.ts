import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AppContext } from '../context.ts';
import { registerReadTools } from './read-tools.ts';
import { registerWriteTools } from './write-tools.ts';

const instructions =
  "Folio holds the user's own documents. Use search to find documents by words, fetch to " +
  'read one in full, list_documents to browse, and create_document, update_document and ' +
  'delete_document to change them.';

/** One McpServer per session; the caller of each tool call comes from that request's token. */
export function createMcpServer(ctx: AppContext): McpServer {
  const server = new McpServer(
    { name: 'folio', title: 'Folio', version: '0.1.0' },
    { capabilities: { tools: {} }, instructions },
  );
  registerReadTools(server, ctx);
  registerWriteTools(server, ctx);
  return server;
}
