import { startMcpRemote } from './mcp-remote.mjs';
import { checkReachable } from './reach.mjs';
import { describeSignIn } from './status.mjs';
import { readSignIn, rememberServer } from './store.mjs';
import { superviseMcpRemote } from './supervise.mjs';

/**
 * `folio-bridge login <url>`: signs in ahead of time with mcp-remote's one-shot client, which
 * connects (opening the browser if needed), lists the tools and exits. Tokens land where the
 * bridge looks for them, so the AI client's first start needs no browser.
 * @param {URL} url
 * @param {{ env: NodeJS.ProcessEnv, signInTimeoutMs: number, verbose: boolean,
 *   say: (line: string) => void, print: (line: string) => void }} options
 * @returns {Promise<number>}
 */
export async function login(url, { env, signInTimeoutMs, verbose, say, print }) {
  await checkReachable(url);
  rememberServer(env, url);

  const child = startMcpRemote('mcp-remote-client', url, env, 'ignore');
  const outcome = await superviseMcpRemote(child, {
    url,
    hadTokens: readSignIn(env, url) !== undefined,
    signInTimeoutMs,
    relay: verbose,
    say,
  });
  if (outcome.error) throw outcome.error;

  const signIn = readSignIn(env, url);
  if (!outcome.connected || !signIn) {
    say(`the sign-in to ${url.origin} did not complete; run again with --verbose to see why.`);
    return 1;
  }
  print(`Signed in to ${url.href}: ${describeSignIn(signIn)}.`);
  return 0;
}
