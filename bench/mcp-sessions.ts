/** Opens Streamable HTTP sessions the way an MCP client does: initialize, then initialized. */

export const PROTOCOL_VERSION = '2025-06-18';

export function mcpHeaders(accessToken: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': PROTOCOL_VERSION,
  };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  return headers;
}

export async function openSession(mcpUrl: string, accessToken?: string): Promise<string> {
  const initialize = await fetch(mcpUrl, {
    method: 'POST',
    headers: mcpHeaders(accessToken),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'folio-bench', version: '1' },
      },
    }),
  });
  const sessionId = initialize.headers.get('mcp-session-id');
  await initialize.text();
  if (!initialize.ok || !sessionId) throw new Error(`initialize failed: ${initialize.status}`);

  const initialized = await fetch(mcpUrl, {
    method: 'POST',
    headers: { ...mcpHeaders(accessToken), 'mcp-session-id': sessionId },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await initialized.text();
  return sessionId;
}

/** One tools/call, answered as JSON or as one SSE event; returns the JSON-RPC result. */
export async function callTool(
  mcpUrl: string,
  sessionId: string,
  accessToken: string | undefined,
  params: { name: string; arguments: Record<string, unknown> },
): Promise<Record<string, unknown>> {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: { ...mcpHeaders(accessToken), 'mcp-session-id': sessionId },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params }),
  });
  const text = await response.text();
  const json = /^data: (.+)$/m.exec(text)?.[1] ?? text;
  const message = JSON.parse(json) as { result?: Record<string, unknown>; error?: unknown };
  if (!response.ok || !message.result || message.result.isError) {
    throw new Error(`${params.name} failed (${response.status}): ${text.slice(0, 300)}`);
  }
  return message.result;
}
