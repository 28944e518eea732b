import { buildChallenge } from './bearer-gate.ts';
import { RESOURCE_SCOPES, toolScopes } from './scopes.ts';

/**
 * Step-up authorization (MCP authorization, "Scope challenge handling"; RFC 6750 §3.1): a
 * `tools/call` for a tool the token's scopes do not cover is answered with HTTP 403
 * `insufficient_scope` before it reaches the server, so the client can ask the person for the
 * wider scope and retry. Returns the missing scope, or undefined when the call may go on.
 */
export function findMissingScope(message: unknown, scopes: readonly string[]): string | undefined {
  const messages = Array.isArray(message) ? message : [message];
  for (const entry of messages) {
    if (!entry || typeof entry !== 'object') continue;
    const { method, params } = entry as { method?: unknown; params?: { name?: unknown } };
    if (method !== 'tools/call' || typeof params?.name !== 'string') continue;

    const needed = toolScopes[params.name];
    if (needed && !scopes.includes(needed)) return needed;
  }
  return undefined;
}

export function insufficientScopeResponse(issuerUrl: string, needed: string): Response {
  const challenge = buildChallenge(issuerUrl, 'insufficient_scope');
  const wanted = RESOURCE_SCOPES.join(' ');
  const message = `this call needs the ${needed} scope; authorize again with scope "${wanted}"`;
  return new Response(
    JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null }),
    {
      status: 403,
      headers: {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'www-authenticate': `${challenge}, error_description="${message.replace(/"/g, "'")}"`,
      },
    },
  );
}
