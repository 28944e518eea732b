import { OAuthError } from '../http/errors.ts';

const maxFormBytes = 64 * 1024;

/**
 * Reads an application/x-www-form-urlencoded body. A parameter sent twice is refused
 * (RFC 6749 §3.1, §3.2): which copy wins would otherwise be up to the parser.
 */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
  }
  const text = await request.text();
  if (text.length > maxFormBytes) {
    throw new OAuthError('invalid_request', `the body must be at most ${maxFormBytes} bytes`);
  }
  return parseUnique(new URLSearchParams(text));
}

export function parseUnique(params: URLSearchParams): URLSearchParams {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) {
      throw new OAuthError('invalid_request', `${name} must not be sent more than once`);
    }
    seen.add(name);
  }
  return params;
}

export function requireParam(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new OAuthError('invalid_request', `${name} is required`);
  return value;
}
