import { decodeJwt, errors } from 'jose';
import type { ProviderCredentials } from '../config.ts';
import {
  type IdentityProvider,
  readEmailClaim,
  UpstreamError,
  type UpstreamIdentity,
} from './identity-provider.ts';
import { createGoogleClient } from './upstream-client.ts';

/** Google's two spellings of its issuer (Google Identity, "Validate an ID token"). */
const googleIssuers = ['https://accounts.google.com', 'accounts.google.com'];

/** `openid email profile` and nothing more: Folio needs a stable subject and a verified email. */
const scopes = ['openid', 'email', 'profile'];

/**
 * Sign in with Google. The ID token comes straight from Google's token endpoint over TLS, so
 * its signature is not checked again (OpenID Connect Core §3.1.3.7 step 6); issuer, audience,
 * expiry and nonce are.
 */
export function createGoogleProvider(
  credentials: ProviderCredentials,
  issuerUrl: string,
  now: () => number,
): IdentityProvider {
  const callbackUrl = `${issuerUrl}/login/google/callback`;
  const client = createGoogleClient(credentials, callbackUrl);

  return {
    id: 'google',
    name: 'Google',
    callbackUrl,
    async createAuthorizationUrl({ state, codeVerifier, nonce }) {
      return client.createAuthorizationUrl(state, codeVerifier, scopes, { nonce });
    },
    async verifySignIn(code, { codeVerifier, nonce }) {
      const { idToken } = await client.exchangeCode(code, codeVerifier);
      return readGoogleIdToken(idToken, credentials.clientId, nonce, now());
    },
  };
}

function readGoogleIdToken(
  idToken: string,
  clientId: string,
  nonce: string,
  now: number,
): UpstreamIdentity {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(idToken);
  } catch (error) {
    if (!(error instanceof errors.JOSEError)) throw error;
    throw new UpstreamError('invalid_id_token', 'the id_token is not a JWT', { cause: error });
  }

  const fail = (message: string) => new UpstreamError('invalid_id_token', message);
  if (typeof claims.iss !== 'string' || !googleIssuers.includes(claims.iss)) {
    throw fail('iss must be https://accounts.google.com');
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(clientId)) throw fail('aud must contain GOOGLE_CLIENT_ID');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) {
    throw fail('exp must be in the future');
  }
  if (claims.nonce !== nonce) throw fail('nonce must match the one sent');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw fail('sub must be a string');

  return {
    provider: 'google',
    issuer: googleIssuers[0] as string,
    subject: claims.sub,
    email: readEmailClaim(claims.email),
    emailVerified: claims.email_verified === true,
  };
}
