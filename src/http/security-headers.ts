/**
 * Headers on every response. Pages may not be framed (clickjacking of the consent page), load
 * nothing from elsewhere, and send no referrer (authorization URLs carry state).
 */
const pagePolicy = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function applySecurityHeaders(response: Response, secure: boolean): Response {
  const headers = response.headers;
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'no-referrer');
  headers.set('x-frame-options', 'DENY');
  if (!headers.has('content-security-policy')) headers.set('content-security-policy', pagePolicy);
  if (secure) headers.set('strict-transport-security', 'max-age=31536000');
  return response;
}
