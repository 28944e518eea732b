import { tokenFolder } from './paths.mjs';
import { listSignIns } from './store.mjs';

/**
 * `folio-bridge status`: each server the bridge holds tokens for, and until when. Reads only
 * whether tokens exist and their expiry; never prints a token.
 * @param {{ env: NodeJS.ProcessEnv, print: (line: string) => void, now?: number }} options
 */
export function status({ env, print, now = Date.now() }) {
  const signIns = listSignIns(env);
  if (signIns.length === 0) {
    print(`Not signed in to any Folio server (tokens would be in ${tokenFolder(env)}).`);
    return 0;
  }
  print(`Signed in (tokens in ${tokenFolder(env)}):`);
  for (const { key, url, signIn } of signIns) {
    print(`  ${url ?? `unknown server (files ${key}_*)`}: ${describeSignIn(signIn, now)}`);
  }
  return 0;
}

/**
 * @param {import('./store.mjs').SignIn} signIn
 * @param {number} [now]
 */
export function describeSignIn(signIn, now = Date.now()) {
  const until = signIn.expiresAt ? new Date(signIn.expiresAt).toISOString() : undefined;
  const access =
    until === undefined
      ? 'access token with no stated expiry'
      : (signIn.expiresAt ?? 0) > now
        ? `access token valid until ${until}`
        : `access token expired at ${until}`;
  const renewal = signIn.hasRefreshToken
    ? 'renewed automatically while the server allows'
    : 'sign in again when it expires';
  return `${access}, ${renewal}${signIn.scope ? ` (scope: ${signIn.scope})` : ''}`;
}
