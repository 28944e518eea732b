import { isLoopbackHost } from '../config.ts';

/**
 * Redirect URI rules, shared by registration and /authorize (see CLIENTS.md "Redirect URIs").
 * Allowed: https URLs, http on loopback hosts, private-use schemes of native apps. Refused:
 * fragments (RFC 6749 §3.1.2), credentials, and schemes that run code or read local files.
 */

const forbiddenSchemes = new Set([
  'javascript:',
  'data:',
  'file:',
  'vbscript:',
  'blob:',
  'about:',
  'filesystem:',
  'ws:',
  'wss:',
  'ftp:',
  'mailto:',
  'tel:',
  'view-source:',
  'intent:',
  'jar:',
  'chrome:',
  'chrome-extension:',
  'moz-extension:',
]);

export type RedirectUriProblem = { uri: string; reason: string };

/** Returns why a URI cannot be registered, or null when it can. */
export function checkRedirectUri(uri: string): string | null {
  if (uri.length > 2000) return 'is longer than 2000 characters';
  if (uri.includes('#')) return 'must not contain a fragment (#)';

  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URI';
  }

  if (forbiddenSchemes.has(url.protocol)) return `must not use the ${url.protocol} scheme`;
  if (url.username || url.password) return 'must not contain credentials';
  if (url.protocol === 'https:' || url.protocol === 'http:') {
    // Only the normalised spelling: `https:host/cb` or `https:///cb` would be matched as
    // strings but read differently by the browser that follows the redirect.
    if (url.href !== uri && url.href !== `${uri}/`) return 'must be a normalised URL';
  }
  if (url.protocol === 'https:') return url.hostname ? null : 'must name a host';
  if (url.protocol === 'http:') {
    // RFC 8252 §8.3 and OAuth 2.1 §2.3.1: plain http only to the user's own machine.
    return isLoopbackHost(url.hostname) ? null : 'may use http only for localhost or 127.0.0.1';
  }
  // A private-use scheme for a native app (RFC 8252 §7.1), e.g. cursor://...
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) ? null : 'has an invalid scheme';
}

/**
 * Exact string match against a registered URI, except that for loopback http the port is
 * ignored (RFC 8252 §7.3): native clients register one port, or none, and listen on another.
 */
export function matchesRegisteredUri(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  if (checkRedirectUri(requested) !== null) return false;

  const asked = new URL(requested);
  // Only an already-normalised URI: `/a/../callback` must not match `/callback`.
  if (asked.href !== requested) return false;
  if (asked.protocol !== 'http:' || !isLoopbackHost(asked.hostname)) return false;

  return registered.some((candidate) => {
    if (!candidate.startsWith('http://')) return false;
    const known = new URL(candidate);
    return (
      known.hostname === asked.hostname &&
      known.pathname === asked.pathname &&
      known.search === asked.search
    );
  });
}

/** Whether every redirect goes to the user's own machine (shown on the consent page). */
export function isLoopbackOnly(redirectUris: readonly string[]): boolean {
  return redirectUris.every((uri) => {
    try {
      const url = new URL(uri);
      return url.protocol === 'http:' && isLoopbackHost(url.hostname);
    } catch {
      return false;
    }
  });
}
