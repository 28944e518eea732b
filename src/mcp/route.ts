import { Elysia } from 'elysia';
import type { AccessTokenVerifier, AppContext } from '../context.ts';
import { checkBearer } from './bearer-gate.ts';
import { findMissingScope, insufficientScopeResponse } from './scope-challenge.ts';
import { createMcpSessions, type SessionOptions } from './sessions.ts';

export type McpRouteOptions = SessionOptions & {
  /** How often idle sessions are looked for. Default one minute. */
  sweepIntervalMs?: number;
};

export type McpRoutes = {
  routes: Elysia;
  /** Closes every session and stops the idle sweep. */
  close(): Promise<void>;
};

/**
 * The protected resource: `/mcp` (and `/mcp/`) for POST, GET, DELETE and HEAD, all behind the
 * bearer gate. Elysia must not read the body: the MCP transport reads and bounds it itself.
 */
export function createMcpRoutes(
  ctx: AppContext,
  verify: AccessTokenVerifier,
  options: McpRouteOptions = {},
): McpRoutes {
  const sessions = createMcpSessions(ctx, options);
  const sweepTimer = setInterval(() => {
    sessions.sweep().catch((error: unknown) => {
      ctx.logger.error('mcp.session.sweep_failed', {
        stack: error instanceof Error ? error.stack : String(error),
      });
    });
  }, options.sweepIntervalMs ?? 60_000);
  sweepTimer.unref();

  const handle = async ({ request }: { request: Request }): Promise<Response> => {
    const verified = await checkBearer(request, verify, ctx.config);
    if (verified instanceof Response) {
      if (verified.status === 403) {
        ctx.logger.warn('mcp.origin_refused', {
          origin: request.headers.get('origin'),
          hint: 'if this browser client is trusted, add its origin to ALLOWED_ORIGINS',
        });
      }
      return verified;
    }
    if (request.method !== 'POST') return sessions.handle(request, verified);

    const body = await readBoundedJson(request, maxPeekBytes);
    if (body.kind === 'too_large') return tooLargeResponse(maxPeekBytes);
    if (body.kind === 'parsed') {
      const missing = findMissingScope(body.value, verified.scopes);
      if (missing) return insufficientScopeResponse(ctx.config.issuerUrl, missing);
    }
    return sessions.handle(body.request, verified, body.kind === 'parsed' ? body.value : undefined);
  };

  // Bodies up to this size are read here for the scope check; larger ones are refused (413).
  const maxPeekBytes = Math.max(4 * 1024 * 1024, ctx.config.maxDocumentBytes * 2);

  const routes = new Elysia({ name: 'mcp' });
  for (const path of ['/mcp', '/mcp/']) {
    routes
      .post(path, handle, { parse: 'none' })
      .get(path, handle)
      .delete(path, handle, { parse: 'none' })
      .head(path, handle);
  }

  return {
    routes,
    async close() {
      clearInterval(sweepTimer);
      await sessions.close();
    },
  };
}

type PeekedBody =
  | { kind: 'parsed'; value: unknown; request: Request }
  | { kind: 'unread'; request: Request }
  | { kind: 'too_large' };

/**
 * Reads the body, at most `maxBytes` of it, so the scope check sees every call (a chunked
 * body without Content-Length included). A body that is not JSON is handed on for the
 * transport to answer in JSON-RPC's terms.
 */
async function readBoundedJson(request: Request, maxBytes: number): Promise<PeekedBody> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return { kind: 'too_large' };

  const bytes = await readAtMost(request, maxBytes);
  if (bytes.byteLength > maxBytes) return { kind: 'too_large' };
  const body = new Blob([new Uint8Array(bytes)]);
  const fresh = new Request(request.url, { method: 'POST', headers: request.headers, body });
  try {
    return { kind: 'parsed', value: JSON.parse(new TextDecoder().decode(bytes)), request: fresh };
  } catch {
    return { kind: 'unread', request: fresh };
  }
}

/** The body's bytes, stopping one chunk past `maxBytes` (enough to know it is too long). */
async function readAtMost(request: Request, maxBytes: number): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  while (size <= maxBytes) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (size > maxBytes) await reader.cancel();
  return Buffer.concat(chunks);
}

function tooLargeResponse(maxBytes: number): Response {
  const message = `the request body is larger than ${maxBytes} bytes`;
  return new Response(
    JSON.stringify({ jsonrpc: '2.0', error: { code: -32600, message }, id: null }),
    {
      status: 413,
      headers: { 'content-type': 'application/json' },
    },
  );
}
