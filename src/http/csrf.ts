import { timingSafeEqual } from 'node:crypto';
import { randomToken } from '../secrets.ts';
import { cookieName, readCookie, serializeCookie } from './cookies.ts';
import { PageError } from './errors.ts';

/**
 * CSRF protection for every form: a double-submit token (a random cookie repeated in a hidden
 * field) plus a refusal of cross-site form posts by their Origin and Sec-Fetch-Site headers.
 * The token outlives a single page view, so a prefetch or a second GET of a page does not
 * invalidate the form already on screen.
 */

export const csrfField = 'csrf_token';

export type CsrfToken = { token: string; setCookie?: string };

export function ensureCsrfToken(request: Request, secure: boolean): CsrfToken {
  const name = cookieName('folio_csrf', secure);
  const existing = readCookie(request, name);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return { token: existing };

  const token = randomToken();
  return { token, setCookie: serializeCookie(name, token, { secure, sameSite: 'Lax' }) };
}

export function verifyCsrf(
  request: Request,
  submitted: unknown,
  issuerUrl: string,
  secure: boolean,
): void {
  const origin = request.headers.get('origin');
  if (origin && origin !== issuerUrl) {
    throw new PageError('Form refused', 'This form was sent from another site.', 403);
  }
  if (request.headers.get('sec-fetch-site') === 'cross-site') {
    throw new PageError('Form refused', 'This form was sent from another site.', 403);
  }

  const cookie = readCookie(request, cookieName('folio_csrf', secure));
  if (!cookie || typeof submitted !== 'string' || !safeEqual(cookie, submitted)) {
    throw new PageError(
      'Form expired',
      'This form is out of date. Go back, reload the page and try again.',
      403,
    );
  }
}

/** Constant-time comparison: a timing difference would reveal the token byte by byte. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
