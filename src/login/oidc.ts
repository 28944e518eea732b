import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import type { Config } from '../config.ts';
import {
  type IdentityProvider,
  readEmailClaim,
  UpstreamError,
  type UpstreamIdentity,
} from './identity-provider.ts';
import { createOAuth2Client, type UpstreamClient } from './upstream-client.ts';

type OidcSettings = NonNullable<Config['oidc']>;

type Discovered = Readonly<{
  client: UpstreamClient;
  keys: ReturnType<typeof createRemoteJWKSet>;
  userinfoEndpoint: string | null;
}>;

const scopes = ['openid', 'email', 'profile'];
const timeoutMs = 5000;

/**
 * Sign in with any OpenID Connect provider: endpoints from its discovery document, the code
 * flow with PKCE and a nonce, and the ID token's signature (its JWKS), issuer, audience, expiry
 * and nonce verified (OpenID Connect Core §3.1.3.7). Discovery runs on first use and again
 * after a failure, so a provider that is down at start does not stop Folio.
 */
export function createOidcProvider(
  settings: OidcSettings,
  issuerUrl: string,
  now: () => number,
): IdentityProvider {
  const callbackUrl = `${issuerUrl}/login/oidc/callback`;
  let discovery: Promise<Discovered> | undefined;
  const discover = () => {
    discovery ??= discoverProvider(settings, callbackUrl).catch((error) => {
      discovery = undefined;
      throw error;
    });
    return discovery;
  };

  return {
    id: 'oidc',
    name: settings.name,
    callbackUrl,
    async createAuthorizationUrl({ state, codeVerifier, nonce }) {
      const { client } = await discover();
      return client.createAuthorizationUrl(state, codeVerifier, scopes, { nonce });
    },
    async verifySignIn(code, { codeVerifier, nonce }) {
      const provider = await discover();
      const tokens = await provider.client.exchangeCode(code, codeVerifier);
      const claims = await verifyIdToken(tokens.idToken, provider, settings, nonce, now());
      const subject = claims.sub as string;

      // Providers that follow Core §5.4 strictly put email only in UserInfo.
      const source =
        claims.email === undefined && provider.userinfoEndpoint && tokens.accessToken
          ? await fetchUserinfo(provider.userinfoEndpoint, tokens.accessToken, subject)
          : claims;
      return {
        provider: 'oidc',
        issuer: settings.issuerUrl,
        subject,
        email: readEmailClaim(source.email),
        emailVerified: source.email_verified === true,
      } satisfies UpstreamIdentity;
    },
  };
}

async function discoverProvider(settings: OidcSettings, callbackUrl: string): Promise<Discovered> {
  // OpenID Connect Discovery §4: the document lives under the issuer, path kept.
  const url = `${settings.issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const document = await fetchJson(url, {}, 'discovery_failed');

  const fail = (message: string) => new UpstreamError('discovery_failed', message);
  // Discovery §4.3: the issuer in the document must be exactly the one configured.
  if (document.issuer !== settings.issuerUrl) throw fail('issuer must equal OIDC_ISSUER exactly');
  const endpoint = (name: string, required: boolean) => {
    const value = document[name];
    if (value === undefined && !required) return null;
    if (typeof value !== 'string' || !isAllowedEndpoint(value, settings.issuerUrl)) {
      throw fail(`${name} must be an https URL`);
    }
    return value;
  };

  const authorizationEndpoint = endpoint('authorization_endpoint', true) as string;
  const tokenEndpoint = endpoint('token_endpoint', true) as string;
  const jwksUri = endpoint('jwks_uri', true) as string;
  return {
    client: createOAuth2Client(settings, callbackUrl, { authorizationEndpoint, tokenEndpoint }),
    keys: createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: timeoutMs }),
    userinfoEndpoint: endpoint('userinfo_endpoint', false),
  };
}

async function verifyIdToken(
  idToken: string,
  provider: Discovered,
  settings: OidcSettings,
  nonce: string,
  now: number,
): Promise<JWTPayload> {
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(idToken, provider.keys, {
      issuer: settings.issuerUrl,
      audience: settings.clientId,
      currentDate: new Date(now),
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (error) {
    if (!(error instanceof errors.JOSEError)) throw error;
    throw new UpstreamError('invalid_id_token', `the id_token was refused: ${error.code}`, {
      cause: error,
    });
  }

  const fail = (message: string) => new UpstreamError('invalid_id_token', message);
  if (claims.nonce !== nonce) throw fail('nonce must match the one sent');
  // Core §3.1.3.7 steps 4-5: with several audiences, azp must name Folio.
  if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== settings.clientId) {
    throw fail('azp must equal OIDC_CLIENT_ID when aud has several values');
  }
  return claims;
}

async function fetchUserinfo(
  endpoint: string,
  accessToken: string,
  subject: string,
): Promise<Record<string, unknown>> {
  const headers = { authorization: `Bearer ${accessToken}` };
  const claims = await fetchJson(endpoint, headers, 'userinfo_failed');
  // Core §5.3.4: a UserInfo answer for someone else must not be used.
  if (claims.sub !== subject) {
    throw new UpstreamError('userinfo_failed', 'sub must equal the id_token sub');
  }
  return claims;
}

async function fetchJson(
  url: string,
  headers: Record<string, string>,
  reason: 'discovery_failed' | 'userinfo_failed',
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', ...headers },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new UpstreamError(reason, `${url} could not be reached`, { cause: error });
  }
  if (!response.ok) throw new UpstreamError(reason, `${url} answered HTTP ${response.status}`);

  const body: unknown = await response.json().catch(() => undefined);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UpstreamError(reason, `${url} did not answer with a JSON object`);
  }
  return body as Record<string, unknown>;
}

/** https, or http on the issuer's own loopback origin (development only). */
function isAllowedEndpoint(value: string, issuerUrl: string): boolean {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && url.origin === new URL(issuerUrl).origin;
  } catch {
    return false;
  }
}
