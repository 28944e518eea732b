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
    if (body.kind === 'parsed') {
      const missing = findMissingScope(body.value, verified.scopes);
      if (missing) return insufficientScopeResponse(ctx.config.issuerUrl, missing);
    }
    return sessions.handle(body.request, verified, body.kind === 'parsed' ? body.value : undefined);
  };

  // Bodies up to this size are read here for the scope check; larger ones go straight on to
  // the transport, whose own limit refuses them.
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
  | { kind: 'unread'; request: Request };

/**
 * Reads a JSON body of known, bounded length. Anything else (no length, too long, not JSON) is
 * left for the transport, which answers it in JSON-RPC's own terms; a body already read is
 * handed on in a fresh request.
 */
async function readBoundedJson(request: Request, maxBytes: number): Promise<PeekedBody> {
  const length = Number(request.headers.get('content-length') ?? Number.NaN);
  if (!Number.isFinite(length) || length > maxBytes) return { kind: 'unread', request };

  const text = await request.text();
  const fresh = new Request(request.url, { method: 'POST', headers: request.headers, body: text });
  try {
    return { kind: 'parsed', value: JSON.parse(text), request: fresh };
  } catch {
    return { kind: 'unread', request: fresh };
  }
}
