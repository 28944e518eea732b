import { Elysia } from 'elysia';
import type { AccessTokenVerifier, AppContext } from '../context.ts';
import { checkBearer } from './bearer-gate.ts';
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
    return sessions.handle(request, verified);
  };

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
