/**
 * Where to send the browser after signing in. Only a path on this server is accepted, so the
 * sign-in page cannot be used as an open redirect; anything else becomes "/".
 */
export function readReturnTo(value: unknown, issuerUrl: string): string {
  if (typeof value !== 'string' || value.length > 8192) return '/';
  // "//host" and "/\host" are scheme-relative to browsers. Control characters are refused
  // because URL parsers drop tabs and newlines, turning "/\t/host" into "//host".
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';

  try {
    const resolved = new URL(value, issuerUrl);
    if (resolved.origin !== new URL(issuerUrl).origin) return '/';
    // The serialised form is percent-encoded ASCII, always valid in a Location header.
    return `${resolved.pathname}${resolved.search}${resolved.hash}`;
  } catch {
    return '/';
  }
}
