import { BridgeError } from './bridge-error.mjs';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Reads the Folio MCP URL given on the command line. Refuses anything but https, except plain
 * http on a loopback address (a Folio on this machine), because tokens travel in every request.
 * @param {string | undefined} input
 * @returns {URL}
 */
export function parseServerUrl(input) {
  if (!input) {
    throw new BridgeError(
      'usage',
      'the Folio MCP URL is missing, e.g. https://docs.example.com/mcp',
    );
  }

  let url;
  try {
    url = new URL(input);
  } catch {
    throw new BridgeError(
      'bad_url',
      `"${input}" is not a URL; expected e.g. https://docs.example.com/mcp`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    throw new BridgeError(
      'bad_url',
      `${url.origin} must use https (plain http is allowed only for localhost, 127.0.0.1 and [::1])`,
    );
  }
  if (url.username || url.password || url.hash) {
    throw new BridgeError('bad_url', 'the Folio URL must not contain credentials or a #fragment');
  }
  return url;
}

/** @param {URL} url */
export function isLoopback(url) {
  return loopbackHosts.has(url.hostname);
}
