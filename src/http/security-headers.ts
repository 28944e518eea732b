/**
 * Headers on every response. Pages may not be framed (clickjacking of the consent page), load
 * nothing from elsewhere, and send no referrer to other sites (authorization URLs carry state).
 * `same-origin` rather than `no-referrer`: under `no-referrer` browsers send `Origin: null`
 * on form posts, which the CSRF check must refuse.
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
  headers.set('referrer-policy', 'same-origin');
  headers.set('x-frame-options', 'DENY');
  if (!headers.has('content-security-policy')) headers.set('content-security-policy', pagePolicy);
  if (secure) headers.set('strict-transport-security', 'max-age=31536000');
  return response;
}
