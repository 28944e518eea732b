import type { AppContext } from '../context.ts';
import { PageError } from '../http/errors.ts';
import { MetadataDocumentError } from './client-metadata/document.ts';
import { DocumentFetchError } from './client-metadata/fetch-document.ts';
import type { ClientResolver } from './client-metadata/resolve.ts';
import type { Client } from './clients.ts';
import { isValidCodeChallenge } from './pkce.ts';
import { matchesRegisteredUri } from './redirect-uri.ts';
import { isOurResource } from './resource.ts';
import { resolveScope } from './scope.ts';

/** A checked authorization request (RFC 6749 §4.1.1 with PKCE and RFC 8707). */
export type AuthorizationRequest = Readonly<{
  client: Client;
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string;
  resource: string;
  scope: string;
}>;

/** An error the client may hear about: sent to its redirect URI (RFC 6749 §4.1.2.1). */
export class AuthorizationRedirectError extends Error {
  override name = 'AuthorizationRedirectError';

  constructor(
    readonly redirectUri: string,
    readonly state: string | undefined,
    readonly code: string,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
  }
}

/** The query parameters of an authorization request, and nothing else, in a stable order. */
export const authorizationParams = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'scope',
  'code_challenge',
  'code_challenge_method',
  'resource',
] as const;

/**
 * Checks a request in two phases. Until the client and redirect URI are trusted, problems are
 * shown to the person as a page: redirecting to an unverified URI would make Folio an open
 * redirector (RFC 6749 §4.1.2.1). After that, problems go back to the client by redirect.
 */
export async function checkAuthorizationRequest(
  ctx: AppContext,
  params: URLSearchParams,
  resolveClient: ClientResolver,
): Promise<AuthorizationRequest> {
  for (const name of authorizationParams) {
    if (params.getAll(name).length > 1) {
      throw new PageError('Invalid request', `The parameter ${name} was sent more than once.`);
    }
  }

  const clientId = params.get('client_id');
  if (!clientId) {
    throw new PageError('Invalid request', 'The application did not say who it is (client_id).');
  }
  const client = await findClientOrExplain(resolveClient, clientId);
  if (!client) {
    throw new PageError(
      'Unknown application',
      'This application is not registered with Folio. ' +
        'Remove the connection in the application and add it again.',
    );
  }

  const redirectUri = readRedirectUri(params.get('redirect_uri'), client);
  const state = params.get('state') ?? undefined;
  const fail = (code: string, description: string) =>
    new AuthorizationRedirectError(redirectUri, state, code, description);

  if (params.get('response_type') !== 'code') {
    throw fail('unsupported_response_type', 'response_type must be code');
  }

  // OAuth 2.1 §4.1.1: PKCE is required, and only S256: plain offers no protection.
  const codeChallenge = params.get('code_challenge');
  if (!codeChallenge) throw fail('invalid_request', 'code_challenge is required (PKCE with S256)');
  if (params.get('code_challenge_method') !== 'S256') {
    throw fail('invalid_request', 'code_challenge_method must be S256');
  }
  if (!isValidCodeChallenge(codeChallenge)) {
    throw fail('invalid_request', 'code_challenge must be 43 base64url characters (S256)');
  }

  const resource = params.get('resource') ?? ctx.config.mcpUrl;
  if (!isOurResource(resource, ctx.config.mcpUrl)) {
    throw fail('invalid_target', `resource must be ${ctx.config.mcpUrl}`);
  }

  return {
    client,
    redirectUri,
    state,
    codeChallenge,
    resource: ctx.config.mcpUrl,
    scope: resolveScope(params.get('scope') ?? undefined, client.scope),
  };
}

/** A metadata document that cannot be used is explained on the page, with its URL. */
async function findClientOrExplain(resolveClient: ClientResolver, clientId: string) {
  try {
    return await resolveClient(clientId);
  } catch (error) {
    if (!(error instanceof MetadataDocumentError || error instanceof DocumentFetchError)) {
      throw error;
    }
    throw new PageError(
      'Application not recognised',
      `Folio could not use the metadata document at ${clientId}: ${error.message}.`,
    );
  }
}

function readRedirectUri(requested: string | null, client: Client): string {
  if (!requested) {
    // RFC 6749 §3.1.2.3: may be omitted only when exactly one URI is registered.
    const [only, ...rest] = client.redirectUris;
    if (only && rest.length === 0) return only;
    throw new PageError(
      'Invalid request',
      'The application did not say where to return (redirect_uri).',
    );
  }
  if (!matchesRegisteredUri(requested, client.redirectUris)) {
    throw new PageError(
      'Unknown return address',
      'The application asked Folio to return to an address it did not register. ' +
        'Nothing was sent to it.',
    );
  }
  return requested;
}

/** The redirect back to the client, always with `iss` (RFC 9207 §2). */
export function buildRedirect(
  redirectUri: string,
  issuerUrl: string,
  params: Record<string, string | undefined>,
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  url.searchParams.set('iss', issuerUrl);
  return url.href;
}
