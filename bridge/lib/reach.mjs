import { BridgeError } from './bridge-error.mjs';

const probeTimeoutMs = 10_000;

/**
 * Checks, before starting mcp-remote, that something answers at the URL and that it looks like
 * an MCP endpoint behind OAuth (401) or an open one (2xx, 405). mcp-remote's own failure for an
 * unreachable server is a stack trace; this turns it into one sentence. Its unauthenticated
 * requests carry no token and change nothing on the server.
 * @param {URL} url
 */
export async function checkReachable(url) {
  let response;
  try {
    response = await probe(url, 'GET');
    // Some MCP servers serve only POST and answer 404 to GET; a wrong path answers 404 to both.
    if (response.status === 404) {
      await response.body?.cancel();
      response = await probe(url, 'POST');
    }
  } catch (error) {
    throw new BridgeError(
      'unreachable',
      `cannot reach ${url.origin} (${describeNetworkError(error)}). ` +
        'Check the URL and that Folio is running.',
      { cause: error },
    );
  }
  await response.body?.cancel();

  if (response.status === 404) {
    throw new BridgeError(
      'not_folio',
      `${url.href} answered 404: give the MCP URL, which ends in /mcp (e.g. ${url.origin}/mcp).`,
    );
  }
  if (response.status >= 500) {
    throw new BridgeError('unreachable', `${url.origin} answered ${response.status}; try later.`);
  }
}

/** @param {URL} url @param {'GET' | 'POST'} method */
function probe(url, method) {
  return fetch(url, {
    method,
    headers: {
      accept: 'application/json, text/event-stream',
      ...(method === 'POST' && { 'content-type': 'application/json' }),
    },
    body: method === 'POST' ? JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'ping' }) : undefined,
    redirect: 'manual',
    signal: AbortSignal.timeout(probeTimeoutMs),
  });
}

/** @param {unknown} error */
function describeNetworkError(error) {
  const cause = /** @type {{ cause?: { code?: string, message?: string } }} */ (error)?.cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `no answer within ${probeTimeoutMs / 1000} s`;
  }
  return error instanceof Error ? error.message : String(error);
}
