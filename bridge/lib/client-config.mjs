import { fileURLToPath } from 'node:url';
import { BridgeError } from './bridge-error.mjs';
import { bridgeVersion } from './mcp-remote.mjs';

/**
 * @typedef {{ title: string, where: { macOS: string, Linux: string, Windows: string },
 *   how: string, snippet: (server: object) => object }} ClientConfig
 */

/** @type {Record<string, ClientConfig>} */
const clients = {
  gemini: {
    title: 'Gemini CLI',
    where: {
      macOS: '~/.gemini/settings.json',
      Linux: '~/.gemini/settings.json',
      Windows: '%USERPROFILE%\\.gemini\\settings.json',
    },
    how: 'Merge into "mcpServers" (a project can use .gemini/settings.json instead).',
    snippet: (server) => ({ mcpServers: { folio: server } }),
  },
  perplexity: {
    title: 'Perplexity (Mac app)',
    where: {
      macOS: 'no file: Settings > Connectors > Add Connector > Advanced, paste the JSON',
      Linux: 'no Perplexity app with local connectors; use its remote connector with the URL',
      Windows: 'no local connectors in the Windows app; use its remote connector with the URL',
    },
    how: 'Name the connector "folio"; the app may ask to install its helper first.',
    snippet: (server) => server,
  },
  'claude-desktop': {
    title: 'Claude Desktop',
    where: {
      macOS: '~/Library/Application Support/Claude/claude_desktop_config.json',
      Linux: '~/.config/Claude/claude_desktop_config.json',
      Windows: '%APPDATA%\\Claude\\claude_desktop_config.json',
    },
    how: 'Merge into "mcpServers", then quit and reopen Claude Desktop.',
    snippet: (server) => ({ mcpServers: { folio: server } }),
  },
  cursor: {
    title: 'Cursor',
    where: {
      macOS: '~/.cursor/mcp.json',
      Linux: '~/.cursor/mcp.json',
      Windows: '%USERPROFILE%\\.cursor\\mcp.json',
    },
    how: 'Merge into "mcpServers" (a project can use .cursor/mcp.json instead).',
    snippet: (server) => ({ mcpServers: { folio: server } }),
  },
};

export const clientNames = Object.keys(clients);

/**
 * `folio-bridge config <client> <url>`: the settings snippet on stdout (pure JSON, so it can be
 * redirected), and where it goes on each system on stderr. With `local`, the snippet runs this
 * copy of the bridge with Node instead of the published package through npx.
 * @param {string | undefined} clientName
 * @param {URL} url
 * @param {{ local: boolean, print: (line: string) => void, say: (line: string) => void }} options
 *   `say` writes to stderr, without the bridge's prefix
 */
export function printClientConfig(clientName, url, { local, print, say }) {
  const client = clientName ? clients[clientName] : undefined;
  if (!client) {
    throw new BridgeError('usage', `choose a client: ${clientNames.join(', ')}`);
  }

  const server = local
    ? {
        command: 'node',
        args: [fileURLToPath(new URL('../bin/folio-bridge.mjs', import.meta.url)), url.href],
      }
    : { command: 'npx', args: ['-y', `folio-bridge@${bridgeVersion}`, url.href] };

  say(`${client.title}: ${client.how}`);
  for (const [system, path] of Object.entries(client.where)) say(`  ${system.padEnd(8)} ${path}`);
  print(JSON.stringify(client.snippet(server), null, 2));
  return 0;
}
