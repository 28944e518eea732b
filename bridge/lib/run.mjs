import { startMcpRemote } from './mcp-remote.mjs';
import { checkReachable } from './reach.mjs';
import { readSignIn, rememberServer } from './store.mjs';
import { superviseMcpRemote } from './supervise.mjs';

/**
 * `folio-bridge <url>`: the stdio MCP server. stdin and stdout belong to the AI client and are
 * handed to mcp-remote untouched; everything the bridge or mcp-remote says goes to stderr.
 * @param {URL} url
 * @param {{ env: NodeJS.ProcessEnv, signInTimeoutMs: number, say: (line: string) => void }} options
 * @returns {Promise<number>} the exit code
 */
export async function runBridge(url, { env, signInTimeoutMs, say }) {
  await checkReachable(url);
  rememberServer(env, url);

  const hadTokens = readSignIn(env, url) !== undefined;
  const child = startMcpRemote('mcp-remote', url, env, 'inherit');
  let stoppedBySignal = false;
  const forward = (/** @type {NodeJS.Signals} */ signal) => {
    stoppedBySignal = true;
    child.kill(signal);
  };
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => forward(signal));
  }

  const outcome = await superviseMcpRemote(child, {
    url,
    hadTokens,
    signInTimeoutMs,
    relay: true,
    say,
  });
  if (stoppedBySignal) return 0;
  if (outcome.error) throw outcome.error;
  return outcome.exitCode;
}
