import { cleanDisplayName } from '../display-name.ts';
import { checkRedirectUri } from '../redirect-uri.ts';
import { isDocumentScope, parseScope } from '../scope.ts';

/**
 * Client ID metadata documents (draft-ietf-oauth-client-id-metadata-document): the client_id is
 * an https URL, and the JSON document there describes the client. Pure checks, no I/O.
 */

export type MetadataClient = {
  clientId: string;
  clientName: string | null;
  redirectUris: string[];
  grantTypes: string[];
  scope: string | null;
  metadata: Record<string, unknown>;
};

export class MetadataDocumentError extends Error {
  override name = 'MetadataDocumentError';
}

/** Whether a client_id is meant as a metadata document URL rather than a registered id. */
export function isMetadataDocumentClientId(clientId: string): boolean {
  return clientId.startsWith('https://');
}

/** §3: https, a path, no dot segments, no fragment, no credentials. */
export function checkClientIdUrl(clientId: string): URL {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    throw new MetadataDocumentError('the client_id is not a URL');
  }
  if (url.protocol !== 'https:') throw new MetadataDocumentError('the client_id must be https');
  // Only the canonical spelling: `%2e%2e`, `\` and the like are dot segments and separators to
  // the URL parser, so a check on the raw string alone could be walked around.
  if (url.href !== clientId || /%2e|\\/i.test(clientId)) {
    throw new MetadataDocumentError('the client_id must be a canonical URL');
  }
  const segments = url.pathname.split('/');
  if (url.username || url.password) {
    throw new MetadataDocumentError('the client_id must not contain credentials');
  }
  if (url.hash || clientId.includes('#')) {
    throw new MetadataDocumentError('the client_id must not contain a fragment');
  }
  if (url.pathname === '/' || segments.includes('.') || segments.includes('..')) {
    throw new MetadataDocumentError('the client_id must have a path without . or .. segments');
  }
  return url;
}

/** Shared-secret methods are meaningless for a client anyone can name (§4.1). */
const sharedSecretMethods = ['client_secret_post', 'client_secret_basic', 'client_secret_jwt'];

export function readMetadataDocument(clientId: string, body: string): MetadataClient {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    throw new MetadataDocumentError('the document is not JSON');
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    throw new MetadataDocumentError('the document is not a JSON object');
  }
  const fields = document as Record<string, unknown>;

  // §4.1: the document must name itself, or anyone could serve another client's metadata.
  if (fields.client_id !== clientId) {
    throw new MetadataDocumentError("the document's client_id does not equal its URL");
  }
  if ('client_secret' in fields || 'client_secret_expires_at' in fields) {
    throw new MetadataDocumentError('the document must not contain a client_secret');
  }
  checkAuthMethod(fields);

  const redirectUris = fields.redirect_uris;
  if (!Array.isArray(redirectUris) || redirectUris.length === 0) {
    throw new MetadataDocumentError('redirect_uris must be a non-empty array');
  }
  redirectUris.forEach((uri, index) => {
    const problem = typeof uri === 'string' ? checkRedirectUri(uri) : 'must be a string';
    if (problem) throw new MetadataDocumentError(`redirect_uris[${index}] ${problem}`);
  });

  const grantTypes = readGrantTypes(fields.grant_types);
  const clientName = readName(fields.client_name);
  const scope =
    typeof fields.scope === 'string' ? parseScope(fields.scope).filter(isDocumentScope) : [];

  return {
    clientId,
    clientName,
    redirectUris: redirectUris as string[],
    grantTypes,
    scope: scope.length > 0 ? scope.join(' ') : null,
    metadata: {
      client_id: clientId,
      redirect_uris: redirectUris,
      grant_types: grantTypes,
      token_endpoint_auth_method: 'none',
      ...(clientName && { client_name: clientName }),
      ...(typeof fields.client_uri === 'string' && { client_uri: fields.client_uri }),
    },
  };
}

/**
 * Folio serves metadata-document clients as public clients (PKCE, no client authentication).
 * A document preferring private_key_jwt is accepted when it also lists `none`, as ChatGPT's does.
 */
function checkAuthMethod(fields: Record<string, unknown>): void {
  const method = fields.token_endpoint_auth_method ?? 'none';
  const listed = Array.isArray(fields.token_endpoint_auth_methods_supported)
    ? fields.token_endpoint_auth_methods_supported
    : [];

  if (typeof method !== 'string' || sharedSecretMethods.includes(method)) {
    throw new MetadataDocumentError('token_endpoint_auth_method must not use a shared secret');
  }
  if (method !== 'none' && !listed.includes('none')) {
    throw new MetadataDocumentError(
      `token_endpoint_auth_method ${method} is not supported; Folio accepts none`,
    );
  }
}

function readGrantTypes(value: unknown): string[] {
  if (value === undefined) return ['authorization_code', 'refresh_token'];
  if (!Array.isArray(value)) throw new MetadataDocumentError('grant_types must be an array');
  const supported = value.filter(
    (item) => item === 'authorization_code' || item === 'refresh_token',
  );
  if (!supported.includes('authorization_code')) {
    throw new MetadataDocumentError('grant_types must include authorization_code');
  }
  return [...new Set(supported as string[])];
}

function readName(value: unknown): string | null {
  return typeof value === 'string' ? (cleanDisplayName(value) ?? null) : null;
}
