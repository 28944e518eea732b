import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the bridge keeps its state: `~/.folio-bridge` unless FOLIO_BRIDGE_HOME says otherwise.
 * mcp-remote is pointed here through MCP_REMOTE_CONFIG_DIR, so its tokens survive mcp-remote
 * upgrades (its default folder changes with its version) and never mix with other servers'.
 * @param {NodeJS.ProcessEnv} env
 */
export function bridgeHome(env) {
  return env.FOLIO_BRIDGE_HOME || join(homedir(), '.folio-bridge');
}

/** The folder mcp-remote 0.15 writes its files to, below MCP_REMOTE_CONFIG_DIR. */
export function tokenFolder(env) {
  return join(bridgeHome(env), 'mcp-remote-v1');
}

/**
 * mcp-remote names a server's files after an md5 of the URL string it was given (plus options
 * the bridge never passes: extra headers, --resource, authorize parameters).
 * @param {URL} url
 */
export function serverKey(url) {
  return createHash('md5').update(url.href).digest('hex');
}

/** @param {NodeJS.ProcessEnv} env @param {URL} url @param {string} name */
export function serverFile(env, url, name) {
  return join(tokenFolder(env), `${serverKey(url)}_${name}`);
}
