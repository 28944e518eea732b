import type { Config } from '../config.ts';
import { createGoogleProvider } from './google.ts';
import type { IdentityProvider } from './identity-provider.ts';
import { createOidcProvider } from './oidc.ts';

/** The providers the settings switch on, in the order the sign-in page lists them. */
export function createIdentityProviders(config: Config, now: () => number): IdentityProvider[] {
  const providers: IdentityProvider[] = [];
  if (config.google) providers.push(createGoogleProvider(config.google, config.issuerUrl, now));
  if (config.oidc) providers.push(createOidcProvider(config.oidc, config.issuerUrl, now));
  return providers;
}

export function findProvider(
  providers: readonly IdentityProvider[],
  id: string,
): IdentityProvider | undefined {
  return providers.find((provider) => provider.id === id);
}

/**
 * Where a "Continue with <provider>" button leads. When the person is on their way to approve
 * an MCP client, it is the approval page for that provider (`/authorize/via/<id>`), so the
 * browser approves the client before Folio sends it upstream; otherwise straight to the
 * provider through `/login/<id>`.
 */
export function buildProviderPath(providerId: string, returnTo: string): string {
  if (returnTo.startsWith('/authorize?')) {
    return `/authorize/via/${providerId}${returnTo.slice('/authorize'.length)}`;
  }
  return `/login/${providerId}?return_to=${encodeURIComponent(returnTo)}`;
}
