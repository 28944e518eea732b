import { createInterface } from 'node:readline';
import { BridgeError } from './bridge-error.mjs';
import { createNarrator } from './narrator.mjs';

/** Sign-ins started in a row without one finishing before the bridge stops asking. */
export const maxSignInsWithoutSuccess = 2;

/**
 * @typedef {object} SuperviseOptions
 * @property {URL} url
 * @property {boolean} hadTokens tokens were stored before start: a sign-in means they were refused
 * @property {number} signInTimeoutMs how long a person gets to finish signing in
 * @property {boolean} relay copy mcp-remote's own lines to stderr
 * @property {(line: string) => void} say one line for the person, on stderr
 */

/**
 * Watches an mcp-remote process: relays or swallows its stderr, explains sign-ins in Folio's
 * words, and ends the process (resolving with a BridgeError) when a sign-in times out, loops or
 * cannot happen. Resolves with the exit code when mcp-remote ends on its own.
 * @param {import('node:child_process').ChildProcess} child
 * @param {SuperviseOptions} options
 * @returns {Promise<{ exitCode: number, error?: BridgeError, connected: boolean }>}
 */
export function superviseMcpRemote(child, options) {
  const { url, signInTimeoutMs, say } = options;
  const narrate = createNarrator();
  let connected = false;
  let refusedBefore = options.hadTokens;
  let withoutSuccess = 0;
  /** @type {NodeJS.Timeout | undefined} */
  let deadline;
  /** @type {BridgeError | undefined} */
  let failure;
  let lastFatal = '';

  const stop = (/** @type {BridgeError} */ error) => {
    if (failure) return;
    failure = error;
    clearTimeout(deadline);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  };

  const waitForPerson = () => {
    clearTimeout(deadline);
    deadline = setTimeout(() => {
      const seconds = Math.round(signInTimeoutMs / 1000);
      stop(
        new BridgeError(
          'sign_in_timeout',
          `the sign-in to ${url.origin} was not finished within ${seconds} s. ` +
            `Run "folio-bridge login ${url.href}" in a terminal, then restart your AI client.`,
        ),
      );
    }, signInTimeoutMs);
  };

  const succeeded = () => {
    clearTimeout(deadline);
    deadline = undefined;
    withoutSuccess = 0;
  };

  /** @param {import('./narrator.mjs').McpRemoteEvent} event */
  const handle = (event) => {
    switch (event.kind) {
      case 'sign_in_url': {
        withoutSuccess += 1;
        if (withoutSuccess > maxSignInsWithoutSuccess) {
          stop(
            new BridgeError(
              'sign_in_loop',
              `${maxSignInsWithoutSuccess} sign-ins to ${url.origin} in a row did not finish; ` +
                'not opening another browser window. ' +
                `Run "folio-bridge login ${url.href}" in a terminal, then restart your AI client.`,
            ),
          );
          return;
        }
        say(
          refusedBefore || connected
            ? `${url.origin} no longer accepts the saved sign-in (it was revoked or it expired). ` +
                'Sign in again in the browser window that opens.'
            : `sign in to ${url.origin} in the browser window that opens.`,
        );
        say(`if no browser opens, visit: ${event.url}`);
        refusedBefore = true;
        waitForPerson();
        return;
      }
      case 'other_instance_signing_in':
        say(
          `another folio-bridge is already signing in to ${url.origin}; waiting for it. ` +
            'Finish the sign-in in the browser window it opened.',
        );
        waitForPerson();
        return;
      case 'other_instance_stuck':
        stop(
          new BridgeError(
            'sign_in_elsewhere',
            `another folio-bridge is still signing in to ${url.origin}. Finish or close that ` +
              'sign-in, then try again.',
          ),
        );
        return;
      case 'connected':
        if (deadline) say(`signed in to ${url.origin}.`);
        connected = true;
        succeeded();
        return;
      case 'signed_in_again':
        say(`signed in to ${url.origin} again.`);
        succeeded();
        return;
      case 'refused':
        clearTimeout(deadline);
        deadline = undefined;
        say(`the sign-in to ${url.origin} was refused in the browser (${event.error}).`);
        return;
      case 'loop_stopped':
        stop(
          new BridgeError(
            'sign_in_loop',
            `sign-ins to ${url.origin} keep failing; not opening another browser window.`,
          ),
        );
        return;
      case 'unreachable':
        if (!connected) {
          stop(
            new BridgeError(
              'unreachable',
              `cannot reach ${url.origin} (${event.reason}). Check the URL and that Folio is running.`,
            ),
          );
        } else {
          say(`lost contact with ${url.origin} (${event.reason}); requests fail until it is back.`);
        }
        return;
      case 'fatal':
        lastFatal = event.detail;
        return;
      case 'no_browser':
        return;
    }
  };

  const lines = createInterface({
    input: /** @type {import('node:stream').Readable} */ (child.stderr),
  });
  lines.on('line', (line) => {
    if (options.relay) process.stderr.write(`${line}\n`);
    const event = narrate(line);
    if (event) handle(event);
  });

  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(deadline);
      lines.close();
      const exitCode = code ?? (signal ? 1 : 0);
      const error =
        failure ??
        (exitCode !== 0
          ? new BridgeError(
              'proxy_failed',
              `mcp-remote stopped (${lastFatal || `exit code ${exitCode}`}).`,
            )
          : undefined);
      resolve({ exitCode: error ? 1 : 0, error, connected });
    });
  });
}
