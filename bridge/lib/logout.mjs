import { tokenFolder } from './paths.mjs';
import { isLoopback } from './server-url.mjs';
import { forgetServer, readSecrets, readSignIn } from './store.mjs';

const revokeTimeoutMs = 10_000;

/**
 * `folio-bridge logout <url>`: revokes the grant at Folio (RFC 7009, which ends every token of
 * it), then deletes the local files whatever the server said. A server that cannot be reached
 * is reported with where to revoke by hand.
 * @param {URL} url
 * @param {{ env: NodeJS.ProcessEnv, print: (line: string) => void }} options
 */
export async function logout(url, { env, print }) {
  if (!readSignIn(env, url)) {
    forgetServer(env, url);
    print(`Not signed in to ${url.href}; nothing to forget.`);
    return 0;
  }

  const revoked = await revokeAtServer(url, readSecrets(env, url));
  forgetServer(env, url);
  if (revoked === true) {
    print(`Signed out of ${url.href}: access revoked at ${url.origin}, tokens deleted.`);
  } else {
    print(
      `Tokens for ${url.href} deleted from ${tokenFolder(env)}, but they could not be revoked ` +
        `at the server (${revoked}). To end access there too, use ${url.origin}/connections.`,
    );
  }
  return 0;
}

/**
 * @param {URL} url
 * @param {ReturnType<typeof readSecrets>} secrets
 * @returns {Promise<true | string>} true, or why not
 */
async function revokeAtServer(url, secrets) {
  const token = secrets.refreshToken ?? secrets.accessToken;
  if (!token || !secrets.clientId) return 'no client registration stored';

  try {
    const endpoint = await findRevocationEndpoint(url);
    // The refresh token and any client secret go only to the server itself, over https (or
    // http on this machine), and never onward through a redirect.
    if (new URL(endpoint).origin !== url.origin || !isSafeToSendSecrets(new URL(endpoint))) {
      return `revocation endpoint ${endpoint} is not on ${url.origin}`;
    }
    const body = new URLSearchParams({
      token,
      token_type_hint: secrets.refreshToken ? 'refresh_token' : 'access_token',
      client_id: secrets.clientId,
    });
    if (secrets.clientSecret) body.set('client_secret', secrets.clientSecret);
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(revokeTimeoutMs),
    });
    await response.body?.cancel();
    return response.ok ? true : `revocation endpoint answered ${response.status}`;
  } catch (error) {
    const cause = /** @type {{ cause?: { code?: string } }} */ (error)?.cause;
    return cause?.code ?? (error instanceof Error ? error.message : String(error));
  }
}

/**
 * Protected resource metadata names the issuer (RFC 9728); its metadata names the revocation
 * endpoint (RFC 8414). Falls back to Folio's fixed `/revoke` at the origin.
 * @param {URL} url
 */
async function findRevocationEndpoint(url) {
  const resourcePath = url.pathname === '/' ? '' : url.pathname;
  const resource = await readJson(
    `${url.origin}/.well-known/oauth-protected-resource${resourcePath}`,
  );
  const servers = resource?.authorization_servers;
  const issuer = Array.isArray(servers) && typeof servers[0] === 'string' ? servers[0] : url.origin;
  const issuerUrl = new URL(issuer);
  const issuerPath = issuerUrl.pathname === '/' ? '' : issuerUrl.pathname;
  const metadata = await readJson(
    `${issuerUrl.origin}/.well-known/oauth-authorization-server${issuerPath}`,
  );
  const endpoint = metadata?.revocation_endpoint;
  return typeof endpoint === 'string' ? endpoint : `${issuerUrl.origin}/revoke`;
}

/** @param {URL} endpoint */
function isSafeToSendSecrets(endpoint) {
  return endpoint.protocol === 'https:' || (endpoint.protocol === 'http:' && isLoopback(endpoint));
}

/** @param {string} address @returns {Promise<Record<string, unknown> | undefined>} */
async function readJson(address) {
  const response = await fetch(address, {
    redirect: 'manual',
    signal: AbortSignal.timeout(revokeTimeoutMs),
  });
  if (!response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  const value = await response.json().catch(() => undefined);
  return value && typeof value === 'object' ? value : undefined;
}
