/**
 * What mcp-remote 0.15.1 says on stderr, turned into events the bridge can act on. The phrases
 * are mcp-remote's own; the pinned version keeps them stable, and test/bridge.test.ts fails
 * first when an upgrade rewords one.
 * @typedef {{ kind: 'sign_in_url', url: string } | { kind: 'no_browser' } | { kind: 'connected' }
 *   | { kind: 'signed_in_again' } | { kind: 'other_instance_signing_in' }
 *   | { kind: 'other_instance_stuck' } | { kind: 'refused', error: string }
 *   | { kind: 'unreachable', reason: string } | { kind: 'loop_stopped' }
 *   | { kind: 'fatal', detail: string }} McpRemoteEvent
 */

const networkFailure = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH)\b/;

/**
 * Returns a function that takes one stderr line at a time and returns the event it completes,
 * if any. Stateful only because the authorization URL comes on the line after its heading.
 */
export function createNarrator() {
  let expectingUrl = false;

  /** @param {string} rawLine @returns {McpRemoteEvent | undefined} */
  return (rawLine) => {
    const line = rawLine.replace(/^\[\d+\]\s?/, '').trim();
    if (expectingUrl && /^https?:\/\//.test(line)) {
      expectingUrl = false;
      return { kind: 'sign_in_url', url: line };
    }
    if (line.startsWith('Please authorize this client by visiting')) {
      expectingUrl = true;
      return undefined;
    }
    if (line.startsWith('Could not open a browser automatically')) return { kind: 'no_browser' };
    if (line.startsWith('Proxy established successfully') || line === 'Connected successfully!') {
      return { kind: 'connected' };
    }
    if (
      line.startsWith('Re-authorized with the remote server') ||
      line.startsWith('The sign-in was completed by another instance')
    ) {
      return { kind: 'signed_in_again' };
    }
    if (line.startsWith('Another instance is running the sign-in for this server')) {
      return { kind: 'other_instance_signing_in' };
    }
    if (line.includes('Authentication is still pending in another instance')) {
      return { kind: 'other_instance_stuck' };
    }
    const refused = /^Authorization failed: (\S+)/.exec(line);
    if (refused?.[1]) return { kind: 'refused', error: refused[1] };
    if (line.startsWith('Stopping:') && line.includes('sign-ins')) return { kind: 'loop_stopped' };

    const network = networkFailure.exec(line);
    if (network?.[1]) return { kind: 'unreachable', reason: network[1] };
    if (line.startsWith('Fatal error')) return { kind: 'fatal', detail: line };
    return undefined;
  };
}
