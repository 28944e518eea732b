/**
 * A loopback reverse proxy that plays the part of a client holding a token: it adds
 * `Authorization: Bearer <token>` to requests for /mcp and forwards everything else unchanged
 * (method, path and query, every header including Host and Origin, the request body as a
 * stream, and the response as a stream so SSE passes through). The conformance suite's server
 * mode cannot send a token; this is how it reaches the protected resource.
 *
 * It stands where a TLS-terminating proxy would in production: Folio's PUBLIC_URL is the
 * proxy's origin, so Host and Origin as the suite sends them are what Folio sees.
 */

export type Exchange = {
  method: string;
  path: string;
  host: string | null;
  origin: string | null;
  status: number;
};

export type BearerProxy = {
  origin: string;
  mcpUrl: string;
  /** Every request forwarded to /mcp, with the status Folio answered. */
  exchanges: Exchange[];
  forwardTo(upstreamOrigin: string): void;
  useToken(accessToken: string): void;
  stop(): void;
};

export function startBearerProxy(): BearerProxy {
  let upstream: string | undefined;
  let token: string | undefined;
  const exchanges: Exchange[] = [];

  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    idleTimeout: 0,
    async fetch(request) {
      if (!upstream) return new Response('proxy has no upstream yet', { status: 503 });

      const url = new URL(request.url);
      const isMcp = url.pathname === '/mcp' || url.pathname === '/mcp/';
      const headers = new Headers(request.headers);
      if (isMcp && token) headers.set('authorization', `Bearer ${token}`);

      const response = await fetch(`${upstream}${url.pathname}${url.search}`, {
        method: request.method,
        headers,
        body: request.body,
        redirect: 'manual',
        // Pass bytes through as they are: decompressing would leave a stale Content-Encoding.
        decompress: false,
        // A client that hangs up on an SSE stream must close Folio's side too.
        signal: request.signal,
      });
      if (isMcp) {
        exchanges.push({
          method: request.method,
          path: url.pathname,
          host: request.headers.get('host'),
          origin: request.headers.get('origin'),
          status: response.status,
        });
      }
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    },
  });

  const origin = `http://127.0.0.1:${server.port}`;
  return {
    origin,
    mcpUrl: `${origin}/mcp`,
    exchanges,
    forwardTo(upstreamOrigin) {
      upstream = upstreamOrigin;
    },
    useToken(accessToken) {
      token = accessToken;
    },
    stop() {
      server.stop(true);
    },
  };
}
