import type { AppContext } from '../context.ts';
import { OAuthError } from '../http/errors.ts';
import { noteClientId } from '../http/request-context.ts';
import { type Client, findClient, hasSecret, isConfidential } from './clients.ts';

/**
 * Client authentication at the token and revocation endpoints (RFC 6749 §2.3.1): HTTP Basic
 * or the secret in the body for confidential clients, the bare client_id for public ones.
 * Every failure is the same `401 invalid_client`, which hosted Claude takes as its cue to
 * register again.
 */
export function authenticateClient(
  ctx: AppContext,
  request: Request,
  form: URLSearchParams,
): Client {
  const basic = readBasicCredentials(request);
  const bodyId = form.get('client_id') ?? undefined;
  const bodySecret = form.get('client_secret') ?? undefined;

  if (basic && bodySecret !== undefined) {
    // RFC 6749 §2.3: a client must not use more than one authentication method per request.
    throw new OAuthError(
      'invalid_request',
      'send the client secret either in the Authorization header or in the body, not both',
    );
  }
  if (basic && bodyId !== undefined && bodyId !== basic.clientId) {
    throw new OAuthError(
      'invalid_request',
      'client_id in the body does not match the Authorization header',
    );
  }

  const clientId = basic?.clientId ?? bodyId;
  const secret = basic?.secret ?? bodySecret;
  const challenge = basic ? { 'www-authenticate': 'Basic realm="folio"' } : undefined;
  const refuse = (detail: string) =>
    new OAuthError('invalid_client', 'client authentication failed', {
      detail,
      headers: challenge,
    });

  if (!clientId) throw refuse('no client_id');
  const client = findClient(ctx.db, clientId);
  if (!client) throw refuse('unknown client');
  noteClientId(request, client.clientId);

  if (isConfidential(client)) {
    if (secret === undefined) throw refuse('confidential client sent no secret');
    if (!hasSecret(client, secret)) throw refuse('wrong client secret');
  }
  return client;
}

function readBasicCredentials(request: Request): { clientId: string; secret: string } | null {
  const header = request.headers.get('authorization');
  if (!header?.toLowerCase().startsWith('basic ')) return null;

  let decoded: string;
  try {
    decoded = atob(header.slice(6).trim());
  } catch {
    throw new OAuthError(
      'invalid_client',
      'the Authorization header is not valid Basic credentials',
    );
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    throw new OAuthError(
      'invalid_client',
      'the Authorization header is not valid Basic credentials',
    );
  }
  // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
  const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
  try {
    return { clientId: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    throw new OAuthError(
      'invalid_client',
      'the Authorization header is not valid Basic credentials',
    );
  }
}
