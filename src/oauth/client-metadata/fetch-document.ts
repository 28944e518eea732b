import type { LookupAddress } from 'node:dns';
import { lookup as lookupAll } from 'node:dns/promises';
import https from 'node:https';
import { isPublicAddress } from './address.ts';

export type FetchOptions = {
  /** The whole fetch, from name lookup to the last byte. */
  timeoutMs: number;
  /** Larger documents are refused without being read further. */
  maxBytes: number;
  /** Which resolved addresses may be connected to; tests widen it to reach loopback. */
  isAllowedAddress?: (address: string) => boolean;
  /** Extra trusted certificate authorities (PEM), for tests with their own CA. */
  ca?: string;
  /** Name resolution; tests map their own host names. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
};

export type FetchedDocument = { body: string; cacheControl: string | null };

export class DocumentFetchError extends Error {
  override name = 'DocumentFetchError';
}

/**
 * GETs an https URL for a client metadata document, safely: the name is resolved first and
 * every address must be public; the connection then goes to that checked address (so a second
 * lookup cannot rebind it), redirects are not followed, and size and time are capped.
 */
export async function fetchMetadataDocument(
  url: URL,
  options: FetchOptions,
): Promise<FetchedDocument> {
  const isAllowed = options.isAllowedAddress ?? isPublicAddress;
  const resolve = options.resolve ?? ((host) => lookupAll(host, { all: true, verbatim: true }));
  const deadline = AbortSignal.timeout(options.timeoutMs);

  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = await resolve(hostname).catch(() => {
    throw new DocumentFetchError(`the host ${url.hostname} could not be resolved`);
  });
  const [chosen] = addresses;
  if (!chosen || addresses.some((entry) => !isAllowed(entry.address))) {
    throw new DocumentFetchError(`the host ${url.hostname} resolves to a non-public address`);
  }

  return new Promise((resolvePromise, reject) => {
    const request = https.get(
      url,
      {
        signal: deadline,
        ca: options.ca,
        headers: { accept: 'application/json' },
        // Connect to the address checked above, whatever the resolver says now.
        lookup: (_host, lookupOptions, callback) => {
          if ((lookupOptions as { all?: boolean }).all) callback(null, [chosen]);
          else
            (callback as (e: null, a: string, f: number) => void)(
              null,
              chosen.address,
              chosen.family,
            );
        },
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(
            new DocumentFetchError(`the document answered HTTP ${response.statusCode}, not 200`),
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            request.destroy();
            reject(new DocumentFetchError(`the document is larger than ${options.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          const cacheControl = response.headers['cache-control'] ?? null;
          resolvePromise({ body: Buffer.concat(chunks).toString('utf8'), cacheControl });
        });
        response.on('error', (error) => reject(new DocumentFetchError(error.message)));
      },
    );
    request.on('error', (error) => {
      const reason = deadline.aborted ? `no answer within ${options.timeoutMs} ms` : error.message;
      reject(new DocumentFetchError(`the document could not be fetched: ${reason}`));
    });
  });
}
