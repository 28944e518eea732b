import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bridgeHome } from './paths.mjs';
import { isLoopback } from './server-url.mjs';

const require = createRequire(import.meta.url);
const manifestPath = require.resolve('mcp-remote/package.json');
/** @type {{ version: string, bin: Record<string, string> }} */
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const bridgeManifest = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
);

/** The bridge's own version, from its package.json. */
export const bridgeVersion = /** @type {string} */ (bridgeManifest.version);

/** Folio grants these by default; asking for exactly them keeps consent to what is used. */
export const folioScope = 'documents:read documents:write';

/**
 * The arguments that make mcp-remote behave as Folio's bridge. The same list is given to the
 * proxy and to the sign-in client, so both find the same stored registration and tokens.
 * @param {URL} url
 */
export function mcpRemoteArgs(url) {
  const metadata = {
    client_name: `Folio Bridge ${bridgeVersion} (mcp-remote ${manifest.version})`,
    scope: folioScope,
    software_id: 'folio-bridge',
    software_version: bridgeVersion,
  };
  // mcp-remote accepts http without this flag only for localhost and 127.0.0.1, not [::1].
  const allowHttp = url.protocol === 'http:' && isLoopback(url) ? ['--allow-http'] : [];
  return [url.href, '--static-oauth-client-metadata', JSON.stringify(metadata), ...allowHttp];
}

/**
 * The environment for mcp-remote: the token folder pinned under the bridge's home.
 * @param {NodeJS.ProcessEnv} env
 */
export function mcpRemoteEnv(env) {
  return { ...env, MCP_REMOTE_CONFIG_DIR: bridgeHome(env) };
}

/**
 * Starts one of mcp-remote's programs with the running Node (or Bun). stdin and stdout are the
 * caller's choice; stderr is always piped so the bridge can explain what mcp-remote says.
 * @param {'mcp-remote' | 'mcp-remote-client'} program
 * @param {URL} url
 * @param {NodeJS.ProcessEnv} env
 * @param {'inherit' | 'ignore'} stdio
 */
export function startMcpRemote(program, url, env, stdio) {
  const entry = manifest.bin[program];
  if (!entry) throw new Error(`mcp-remote ${manifest.version} has no program named ${program}`);
  const script = join(dirname(manifestPath), entry);
  return spawn(process.execPath, [script, ...mcpRemoteArgs(url)], {
    env: mcpRemoteEnv(env),
    stdio: [stdio, stdio, 'pipe'],
  });
}
