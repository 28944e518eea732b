import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AppContext } from '../context.ts';
import { registerLibraryTools } from './library-tools.ts';
import { registerReadTools } from './read-tools.ts';
import { registerRecoveryTools } from './recovery-tools.ts';
import { registerResources } from './resources.ts';
import { createToolDeps } from './tool-deps.ts';
import { registerWriteTools } from './write-tools.ts';

const instructions =
  "Folio holds the user's own documents, in folders and with tags. Find them with search or " +
  'search_documents (snippets, filters), browse with list_documents and list_folders, read ' +
  'with fetch or, for long ones, read_document. Change them precisely with ' +
  'replace_in_document and append_to_document, passing the version you read as ' +
  'base_version; update_document replaces whole fields. Every change keeps the previous ' +
  'version (document_history, restore_version); delete_document moves to the trash ' +
  '(list_trash, restore_document).';

/** One McpServer per session; the caller of each tool call comes from that request's token. */
export function createMcpServer(ctx: AppContext): McpServer {
  const deps = createToolDeps(ctx);
  const server = new McpServer(
    { name: 'folio', title: 'Folio', version: '0.1.0' },
    {
      capabilities: {
        tools: {},
        // The SDK answers logging/setLevel once the capability is declared.
        logging: {},
        resources: { subscribe: true, listChanged: true },
        completions: {},
      },
      instructions,
    },
  );
  registerReadTools(server, deps);
  registerLibraryTools(server, deps);
  registerWriteTools(server, deps);
  registerRecoveryTools(server, deps);
  registerResources(server, deps);
  return server;
}
