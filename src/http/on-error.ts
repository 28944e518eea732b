import type { Logger } from '../log.ts';
import { OAuthError, PageError, RateLimitedError } from './errors.ts';
import { html, pageResponse } from './html.ts';

/**
 * The one place errors become responses. OAuth errors are RFC 6749 §5.2 JSON with
 * `Cache-Control: no-store`; page errors are readable HTML; anything unexpected is logged with
 * its stack and answered with a generic 500 that echoes nothing.
 */
export function renderError(error: unknown, request: Request, logger: Logger): Response {
  if (error instanceof OAuthError) {
    if (error.detail) logger.info('oauth.refused', { code: error.code, reason: error.detail });
    return jsonError(error.status, error.code, error.description, error.headers);
  }

  if (error instanceof PageError)
    return renderErrorPage(error.title, error.explanation, error.status);

  if (error instanceof RateLimitedError) {
    const headers = { 'retry-after': String(error.retryAfterSeconds) };
    if (error.format === 'page') {
      const page = renderErrorPage(
        'Too many attempts',
        `Please wait ${error.retryAfterSeconds} seconds and try again.`,
        429,
      );
      page.headers.set('retry-after', headers['retry-after']);
      return page;
    }
    return jsonError(429, 'temporarily_unavailable', 'too many requests; retry later', headers);
  }

  logger.error('request.failed', {
    method: request.method,
    path: new URL(request.url).pathname,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  return wantsHtml(request)
    ? renderErrorPage('Something went wrong', 'Folio could not finish this request.', 500)
    : jsonError(500, 'server_error', 'internal error');
}

export function jsonError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { error, error_description: description },
    {
      status,
      headers: { 'cache-control': 'no-store', pragma: 'no-cache', ...headers },
    },
  );
}

export function renderErrorPage(title: string, explanation: string, status: number): Response {
  return pageResponse(
    title,
    html`<h1>${title}</h1><p class="notice">${explanation}</p><p><a href="/">Folio home</a></p>`,
    status,
  );
}

function wantsHtml(request: Request): boolean {
  return request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html');
}
