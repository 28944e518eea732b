import { Elysia } from 'elysia';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { purgeExpiredTrash } from './documents/index.ts';
import { applyCorsHeaders, isCorsPath, preflightResponse } from './http/cors.ts';
import { jsonError, renderError, renderErrorPage } from './http/on-error.ts';
import { createRateLimits, type RateLimitOptions } from './http/rate-limit.ts';
import { readClientId, recordAddress } from './http/request-context.ts';
import { applySecurityHeaders } from './http/security-headers.ts';
import type { Logger } from './log.ts';
import { createFederatedRoutes } from './login/federated-routes.ts';
import { createHomeRoutes } from './login/home.ts';
import { createIdentityProviders } from './login/providers.ts';
import { createLoginRoutes } from './login/routes.ts';
import { createMcpRoutes } from './mcp/route.ts';
import { createAccessTokens } from './oauth/access-token.ts';
import { createAuthorizeRoutes } from './oauth/authorize.ts';
import { createClientResolver, type ResolveOptions } from './oauth/client-metadata/resolve.ts';
import { createConnectionsRoutes } from './oauth/connections.ts';
import { createMetadataRoutes } from './oauth/metadata.ts';
import { createRegisterRoute } from './oauth/register.ts';
import { createRevokeRoute } from './oauth/revoke.ts';
import { createTokenRoute } from './oauth/token.ts';
import type { Storage } from './storage/database.ts';

export type AppDeps = {
  config: Config;
  storage: Storage;
  logger: Logger;
  rateLimits?: RateLimitOptions;
  now?: () => number;
  /** How client metadata documents are fetched; tests point it at their own https server. */
  clientMetadata?: ResolveOptions;
};

export type FolioApp = {
  /** Bun.serve's fetch handler; tests call it directly or through a real listener. */
  fetch(
    request: Request,
    server?: { requestIP(request: Request): { address: string } | null },
  ): Promise<Response>;
  close(): Promise<void>;
};

export async function createApp(deps: AppDeps): Promise<FolioApp> {
  const ctx: AppContext = Object.freeze({
    config: deps.config,
    storage: deps.storage,
    db: deps.storage.db,
    logger: deps.logger,
    rateLimits: createRateLimits(deps.rateLimits),
    now: deps.now ?? Date.now,
  });
  const accessTokens = await createAccessTokens(ctx);
  const resolveClient = createClientResolver(ctx.db, ctx.now, deps.clientMetadata);
  const mcp = createMcpRoutes(ctx, accessTokens.verify);
  const stopTrashSweep = startTrashSweep(ctx);
  const providers = createIdentityProviders(ctx.config, ctx.now);

  const elysia = new Elysia()
    .onError(({ code, error, request }) => {
      if (code === 'NOT_FOUND') return notFound(request);
      if (code === 'PARSE')
        return jsonError(400, 'invalid_request', 'the request body is malformed');
      return renderError(error, request, ctx.logger);
    })
    .use(createMetadataRoutes(ctx, accessTokens))
    .use(createRegisterRoute(ctx))
    .use(createAuthorizeRoutes(ctx, resolveClient, providers))
    .use(createTokenRoute(ctx, accessTokens))
    .use(createRevokeRoute(ctx, accessTokens))
    .use(createConnectionsRoutes(ctx))
    .use(createLoginRoutes(ctx, providers))
    .use(createFederatedRoutes(ctx, providers))
    .use(createHomeRoutes(ctx))
    .use(mcp.routes);

  return {
    async fetch(request, server) {
      const started = performance.now();
      recordAddress(
        request,
        server?.requestIP(request)?.address ?? '127.0.0.1',
        ctx.config.trustProxyHops,
      );
      const { pathname } = new URL(request.url);
      const cors = isCorsPath(pathname);

      const response =
        cors && request.method === 'OPTIONS' ? preflightResponse() : await elysia.handle(request);
      if (cors) applyCorsHeaders(response);
      applySecurityHeaders(response, ctx.config.secureCookies);

      // Paths only: query strings carry codes and state, which never reach a log line.
      ctx.logger.info('request', {
        method: request.method,
        route: pathname,
        status: response.status,
        duration_ms: Math.round((performance.now() - started) * 100) / 100,
        client_id: readClientId(request),
      });
      return response;
    },
    async close() {
      stopTrashSweep();
      await mcp.close();
    },
  };
}

/** Documents past their time in the trash are purged hourly for every user. */
function startTrashSweep(ctx: AppContext): () => void {
  const sweep = () => {
    const retentionDays = ctx.config.trashRetentionDays;
    const purged = purgeExpiredTrash(ctx.db, { now: ctx.now(), retentionDays });
    if (purged > 0) ctx.logger.info('trash.purged', { documents: purged });
  };
  sweep();
  const timer = setInterval(sweep, 3600_000);
  timer.unref();
  return () => clearInterval(timer);
}

function notFound(request: Request): Response {
  const accept = request.headers.get('accept') ?? '';
  return accept.includes('text/html')
    ? renderErrorPage('Not found', 'There is no page at this address.', 404)
    : jsonError(404, 'not_found', 'no such endpoint');
}
