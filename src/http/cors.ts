/**
 * CORS for what browser-based clients (MCP Inspector) call directly: metadata, registration,
 * token, revocation and the MCP endpoint. No credentials: these endpoints take bearer tokens
 * or client credentials in the request, never cookies, so any origin may read them.
 */

const corsPrefixes = ['/.well-known/', '/register', '/token', '/revoke', '/mcp', '/jwks'];

const allowHeaders = [
  'authorization',
  'content-type',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
].join(', ');

export function isCorsPath(pathname: string): boolean {
  return corsPrefixes.some((prefix) => pathname === prefix || pathname.startsWith(prefix));
}

export function preflightResponse(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST, DELETE, HEAD, OPTIONS',
      'access-control-allow-headers': allowHeaders,
      'access-control-max-age': '86400',
    },
  });
}

export function applyCorsHeaders(response: Response): void {
  response.headers.set('access-control-allow-origin', '*');
  response.headers.set('access-control-expose-headers', 'www-authenticate, mcp-session-id');
}
