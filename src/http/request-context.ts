/**
 * Facts about a request that the server learns along the way: the caller's address (from the
 * socket, or from X-Forwarded-For when a trusted proxy is configured) and the OAuth client it
 * acted for, which the request log line reports.
 */

type RequestFacts = { address: string; clientId?: string };

const facts = new WeakMap<Request, RequestFacts>();

export function recordAddress(request: Request, socketAddress: string, trustProxyHops: number) {
  facts.set(request, { address: resolveAddress(request, socketAddress, trustProxyHops) });
}

export function readAddress(request: Request): string {
  return facts.get(request)?.address ?? 'unknown';
}

export function noteClientId(request: Request, clientId: string): void {
  const entry = facts.get(request);
  if (entry) entry.clientId = clientId;
  else facts.set(request, { address: 'unknown', clientId });
}

export function readClientId(request: Request): string | undefined {
  return facts.get(request)?.clientId;
}

/**
 * With N trusted proxies in front, the Nth address from the right of X-Forwarded-For is the
 * first one a proxy we trust saw; anything left of it is caller-supplied and can be forged.
 */
function resolveAddress(request: Request, socketAddress: string, hops: number): string {
  if (hops === 0) return socketAddress;

  const forwarded = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return forwarded[forwarded.length - hops] ?? forwarded[0] ?? socketAddress;
}
