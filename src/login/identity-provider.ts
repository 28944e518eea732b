/**
 * What Folio needs from an upstream identity provider (Google, any OpenID provider): a URL to
 * send the browser to, and a verified identity for the code that comes back. Everything
 * provider-specific stays behind this interface.
 */

export type ProviderId = 'google' | 'oidc';

export const providerIds: readonly ProviderId[] = ['google', 'oidc'];

/** Random per sign-in, made by Folio: state and nonce go upstream, the verifier only to /token. */
export type SignInSecrets = Readonly<{ state: string; codeVerifier: string; nonce: string }>;

/** Who the provider says signed in, after every check on its answer passed. */
export type UpstreamIdentity = Readonly<{
  provider: ProviderId;
  issuer: string;
  subject: string;
  /** Lowercased. */
  email: string;
  emailVerified: boolean;
}>;

export type IdentityProvider = Readonly<{
  id: ProviderId;
  /** Shown on buttons: "Continue with <name>". */
  name: string;
  /** Folio's redirect URI at the provider: `<PUBLIC_URL>/login/<id>/callback`. */
  callbackUrl: string;
  createAuthorizationUrl(secrets: SignInSecrets): Promise<URL>;
  /** Exchanges the code and verifies the ID token; throws UpstreamError. */
  verifySignIn(code: string, secrets: Omit<SignInSecrets, 'state'>): Promise<UpstreamIdentity>;
}>;

export type UpstreamFailure =
  | 'discovery_failed'
  | 'token_request_failed'
  | 'invalid_id_token'
  | 'userinfo_failed'
  | 'missing_email';

/** The provider's answer could not be used. `message` is for the operator's log only. */
export class UpstreamError extends Error {
  override name = 'UpstreamError';

  constructor(
    readonly reason: UpstreamFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isProviderId(value: string): value is ProviderId {
  return (providerIds as readonly string[]).includes(value);
}

/** Lowercases and checks the `email` claim, naming it when it is missing or malformed. */
export function readEmailClaim(value: unknown): string {
  if (typeof value !== 'string' || value.length > 254 || !/^[^@\s]+@[^@\s]+$/.test(value)) {
    throw new UpstreamError('missing_email', 'the email claim must be an email address');
  }
  return value.trim().toLowerCase();
}
