import {
  ArcticFetchError,
  CodeChallengeMethod,
  Google,
  OAuth2Client,
  OAuth2RequestError,
  UnexpectedErrorResponseBodyError,
  UnexpectedResponseError,
} from 'arctic';
import type { ProviderCredentials } from '../config.ts';
import { UpstreamError } from './identity-provider.ts';

/**
 * The one file that imports arctic, which is no longer developed upstream: replacing it means
 * rewriting these two factories. Both run the authorization code flow with PKCE S256 (RFC 7636)
 * and authenticate Folio with HTTP Basic (RFC 6749 §2.3.1).
 */

export type UpstreamTokens = Readonly<{ idToken: string; accessToken: string | null }>;

export type UpstreamClient = Readonly<{
  createAuthorizationUrl(
    state: string,
    codeVerifier: string,
    scopes: string[],
    extra?: Record<string, string>,
  ): URL;
  /** Only the ID token and access token are returned: refresh tokens are never kept. */
  exchangeCode(code: string, codeVerifier: string): Promise<UpstreamTokens>;
}>;

export function createGoogleClient(
  credentials: ProviderCredentials,
  callbackUrl: string,
): UpstreamClient {
  const google = new Google(credentials.clientId, credentials.clientSecret, callbackUrl);
  return {
    createAuthorizationUrl(state, codeVerifier, scopes, extra = {}) {
      const url = google.createAuthorizationURL(state, codeVerifier, scopes);
      for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
      return url;
    },
    exchangeCode: (code, codeVerifier) =>
      readTokens(() => google.validateAuthorizationCode(code, codeVerifier)),
  };
}

export type UpstreamEndpoints = Readonly<{ authorizationEndpoint: string; tokenEndpoint: string }>;

export function createOAuth2Client(
  credentials: ProviderCredentials,
  callbackUrl: string,
  endpoints: UpstreamEndpoints,
): UpstreamClient {
  const client = new OAuth2Client(credentials.clientId, credentials.clientSecret, callbackUrl);
  return {
    createAuthorizationUrl(state, codeVerifier, scopes, extra = {}) {
      const url = client.createAuthorizationURLWithPKCE(
        endpoints.authorizationEndpoint,
        state,
        CodeChallengeMethod.S256,
        codeVerifier,
        scopes,
      );
      for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
      return url;
    },
    exchangeCode: (code, codeVerifier) =>
      readTokens(() =>
        client.validateAuthorizationCode(endpoints.tokenEndpoint, code, codeVerifier),
      ),
  };
}

type ArcticTokens = Awaited<ReturnType<Google['validateAuthorizationCode']>>;

async function readTokens(exchange: () => Promise<ArcticTokens>): Promise<UpstreamTokens> {
  let tokens: ArcticTokens;
  try {
    tokens = await exchange();
  } catch (error) {
    throw new UpstreamError('token_request_failed', describeArcticError(error), { cause: error });
  }

  const data = tokens.data as Record<string, unknown>;
  if (typeof data.id_token !== 'string') {
    throw new UpstreamError('invalid_id_token', 'the token response has no id_token string');
  }
  const accessToken = typeof data.access_token === 'string' ? data.access_token : null;
  return { idToken: data.id_token, accessToken };
}

/** Error codes and statuses only: a provider's description could echo the code we sent. */
function describeArcticError(error: unknown): string {
  if (error instanceof OAuth2RequestError) return `the token endpoint answered ${error.code}`;
  if (error instanceof ArcticFetchError) return 'the token endpoint could not be reached';
  if (
    error instanceof UnexpectedResponseError ||
    error instanceof UnexpectedErrorResponseBodyError
  ) {
    return `the token endpoint answered HTTP ${error.status}`;
  }
  return 'the token request failed';
}
