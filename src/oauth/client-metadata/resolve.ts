import type { Db } from '../../storage/database.ts';
import { type Client, findClient, upsertMetadataClient } from '../clients.ts';
import { checkClientIdUrl, type MetadataClient, readMetadataDocument } from './document.ts';
import { type FetchOptions, fetchMetadataDocument } from './fetch-document.ts';

export type ResolveOptions = Partial<FetchOptions> & {
  /** Documents kept at most this many at once (oldest dropped first). */
  cacheEntries?: number;
};

export type ClientResolver = (clientId: string) => Promise<Client | undefined>;

const minCacheMs = 60_000;
const maxCacheMs = 24 * 3600_000;
const defaultCacheMs = 10 * 60_000;

/**
 * Finds a client by id: registered clients from the database, and https client ids by fetching
 * their metadata document (cached per its Cache-Control, between one minute and a day; a
 * failure is never cached). The document's client is stored like any other, so its grants and
 * consents work the same way.
 */
export function createClientResolver(db: Db, now: () => number, options: ResolveOptions = {}) {
  const cache = new Map<string, { client: MetadataClient; expiresAt: number }>();
  const capacity = options.cacheEntries ?? 256;
  const fetchOptions: FetchOptions = {
    timeoutMs: options.timeoutMs ?? 5000,
    maxBytes: options.maxBytes ?? 5 * 1024,
    isAllowedAddress: options.isAllowedAddress,
    ca: options.ca,
    resolve: options.resolve,
  };

  async function loadDocument(clientId: string): Promise<MetadataClient> {
    const cached = cache.get(clientId);
    if (cached && cached.expiresAt > now()) return cached.client;

    const url = checkClientIdUrl(clientId);
    const fetched = await fetchMetadataDocument(url, fetchOptions);
    const client = readMetadataDocument(clientId, fetched.body);

    const lifetime = readCacheLifetime(fetched.cacheControl);
    cache.delete(clientId);
    if (lifetime > 0) {
      if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
      cache.set(clientId, { client, expiresAt: now() + lifetime });
    }
    return client;
  }

  const resolveClient: ClientResolver = async (clientId) => {
    if (!clientId.startsWith('https://')) return findClient(db, clientId);
    const document = await loadDocument(clientId);
    return upsertMetadataClient(db, document, now());
  };
  return resolveClient;
}

function readCacheLifetime(cacheControl: string | null): number {
  if (!cacheControl) return defaultCacheMs;
  if (/\b(no-store|no-cache)\b/i.test(cacheControl)) return 0;
  const maxAge = /\bmax-age=(\d+)/i.exec(cacheControl)?.[1];
  if (maxAge === undefined) return defaultCacheMs;
  return Math.min(maxCacheMs, Math.max(minCacheMs, Number(maxAge) * 1000));
}
