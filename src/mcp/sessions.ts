import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { AppContext, VerifiedAccessToken } from '../context.ts';
import { randomToken } from '../secrets.ts';
import { createMcpServer } from './server.ts';
import { buildAuthInfo } from './tool-result.ts';

/**
 * Streamable HTTP sessions (MCP 2025-03-26 and later), each with its own McpServer. A session
 * belongs to the user whose token opened it: the same id under another user's token is answered
 * exactly like an unknown id (404), so session ids cannot be borrowed or probed. Sessions idle
 * for longer than `idleMs` are closed by `sweep`; a user over the cap loses the session they
 * used least recently.
 */
export type SessionOptions = {
  /** Close a session after this long without a request. Default 30 minutes. */
  idleMs?: number;
  /** Open sessions one user may hold. Default 20 (mcp-remote alone opens two per start). */
  maxPerUser?: number;
};

export type McpSessions = {
  /** `parsedBody`: the JSON body when the route already read it. */
  handle(request: Request, verified: VerifiedAccessToken, parsedBody?: unknown): Promise<Response>;
  /** Closes sessions idle for longer than idleMs; returns how many were closed. */
  sweep(): Promise<number>;
  count(userId?: string): number;
  close(): Promise<void>;
};

type Session = {
  id: string;
  userId: string;
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
  lastSeenAt: number;
};

const MIN_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

export function createMcpSessions(ctx: AppContext, options: SessionOptions = {}): McpSessions {
  const idleMs = options.idleMs ?? 30 * 60 * 1000;
  const maxPerUser = options.maxPerUser ?? 20;
  // JSON escaping can grow a body; leave room so the document limit, not the transport's,
  // is what refuses an oversized document (with a message the model can act on).
  const maxRequestBodySize = Math.max(MIN_REQUEST_BODY_BYTES, ctx.config.maxDocumentBytes * 2);
  const sessions = new Map<string, Session>();

  async function closeSession(session: Session, reason: string): Promise<void> {
    if (!sessions.delete(session.id)) return;
    ctx.logger.info('mcp.session.closed', { user_id: session.userId, reason });
    await session.server.close();
  }

  function admit(session: Session): void {
    const owned = [...sessions.values()].filter((entry) => entry.userId === session.userId);
    if (owned.length >= maxPerUser) {
      const leastRecent = owned.reduce((a, b) => (a.lastSeenAt <= b.lastSeenAt ? a : b));
      closeSession(leastRecent, 'user_session_cap').catch((error: unknown) => {
        ctx.logger.error('mcp.session.close_failed', {
          stack: error instanceof Error ? error.stack : String(error),
        });
      });
    }
    sessions.set(session.id, session);
    ctx.logger.info('mcp.session.opened', { user_id: session.userId });
  }

  async function openSession(
    request: Request,
    verified: VerifiedAccessToken,
    parsedBody: unknown,
  ): Promise<Response> {
    const server = createMcpServer(ctx);
    let opened: Session | undefined;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomToken(),
      maxRequestBodySize,
      onsessioninitialized: (id) => {
        opened = { id, userId: verified.userId, transport, server, lastSeenAt: ctx.now() };
        admit(opened);
      },
      // DELETE: the transport closes itself right after this returns.
      onsessionclosed: (id) => {
        if (sessions.delete(id)) {
          ctx.logger.info('mcp.session.closed', { user_id: verified.userId, reason: 'deleted' });
        }
      },
    });
    await server.connect(transport);

    const response = await transport.handleRequest(request, {
      authInfo: buildAuthInfo(verified, ctx.config.mcpUrl),
      parsedBody,
    });
    // Anything but `initialize` without a session id was refused; drop the unused server.
    if (!opened) await server.close();
    return response;
  }

  return {
    async handle(request, verified, parsedBody) {
      const sessionId = request.headers.get('mcp-session-id');
      if (sessionId === null) {
        if (request.method === 'POST') return openSession(request, verified, parsedBody);
        if (request.method === 'HEAD') return methodNotAllowed();
        return rpcError(400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      }

      const session = sessions.get(sessionId);
      if (!session || session.userId !== verified.userId) {
        return rpcError(404, -32001, 'Session not found');
      }
      session.lastSeenAt = ctx.now();
      return session.transport.handleRequest(request, {
        authInfo: buildAuthInfo(verified, ctx.config.mcpUrl),
        parsedBody,
      });
    },

    async sweep() {
      const cutoff = ctx.now() - idleMs;
      const idle = [...sessions.values()].filter((session) => session.lastSeenAt < cutoff);
      await Promise.all(idle.map((session) => closeSession(session, 'idle')));
      return idle.length;
    },

    count(userId) {
      if (userId === undefined) return sessions.size;
      return [...sessions.values()].filter((session) => session.userId === userId).length;
    },

    async close() {
      await Promise.all([...sessions.values()].map((session) => closeSession(session, 'shutdown')));
    },
  };
}

function rpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function methodNotAllowed(): Response {
  return new Response(null, { status: 405, headers: { Allow: 'GET, POST, DELETE' } });
}
