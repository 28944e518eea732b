/**
 * The two error types of Folio's HTTP surface. Handlers throw them; `on-error.ts` is the one
 * place they become responses. JSON-RPC errors on /mcp are rendered by the MCP SDK.
 */

/** RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 6750 §3.1 and RFC 8707 §2 error codes. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_target'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'unsupported_token_type';

const statusByCode: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  server_error: 500,
  temporarily_unavailable: 503,
};

export type OAuthErrorOptions = {
  /** Logged for the operator, never sent. */
  detail?: string;
  status?: number;
  headers?: Record<string, string>;
};

export class OAuthError extends Error {
  override name = 'OAuthError';
  readonly status: number;
  readonly detail?: string;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    options: OAuthErrorOptions = {},
  ) {
    super(`${code}: ${description}`);
    this.status = options.status ?? statusByCode[code] ?? 400;
    this.detail = options.detail;
    this.headers = options.headers ?? {};
  }
}

/** An error shown to a person as a page (never redirected to a client). */
export class PageError extends Error {
  override name = 'PageError';

  constructor(
    readonly title: string,
    readonly explanation: string,
    readonly status = 400,
  ) {
    super(`${title}: ${explanation}`);
  }
}

/** Too many requests; rendered as 429 with Retry-After in the caller's protocol. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';

  constructor(
    readonly retryAfterSeconds: number,
    readonly format: 'json' | 'page',
  ) {
    super('rate limited');
  }
}
