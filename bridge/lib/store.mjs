import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bridgeHome, serverFile, serverKey, tokenFolder } from './paths.mjs';

/**
 * What the bridge knows about a sign-in, read from mcp-remote's files. Holds no token: only
 * whether there is one and when it ends.
 * @typedef {{ hasAccessToken: boolean, hasRefreshToken: boolean, expiresAt?: number,
 *   scope?: string }} SignIn
 */

/**
 * Remembers which URL a server's files belong to, since mcp-remote names them by hash only.
 * @param {NodeJS.ProcessEnv} env
 * @param {URL} url
 */
export function rememberServer(env, url) {
  const index = readIndex(env);
  if (index[serverKey(url)] === url.href) return;
  index[serverKey(url)] = url.href;
  writeIndex(env, index);
}

/**
 * Deletes every file mcp-remote keeps for the server, and its line in the index.
 * @param {NodeJS.ProcessEnv} env
 * @param {URL} url
 */
export function forgetServer(env, url) {
  const index = readIndex(env);
  if (serverKey(url) in index) {
    delete index[serverKey(url)];
    writeIndex(env, index);
  }

  const prefix = `${serverKey(url)}_`;
  for (const name of listTokenFolder(env)) {
    if (name.startsWith(prefix)) rmSync(join(tokenFolder(env), name), { force: true });
  }
}

/**
 * Every server with a token file, with its URL when the index knows it.
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ key: string, url?: string, signIn: SignIn }[]}
 */
export function listSignIns(env) {
  const index = readIndex(env);
  const found = [];
  for (const name of listTokenFolder(env)) {
    const match = /^([0-9a-f]{32})_tokens\.json$/.exec(name);
    if (!match?.[1]) continue;
    const signIn = readSignInFile(join(tokenFolder(env), name));
    if (signIn) found.push({ key: match[1], url: index[match[1]], signIn });
  }
  return found;
}

/** @param {NodeJS.ProcessEnv} env @param {URL} url @returns {SignIn | undefined} */
export function readSignIn(env, url) {
  return readSignInFile(serverFile(env, url, 'tokens.json'));
}

/**
 * The stored tokens and client registration, for revoking them at sign-out. Callers must not
 * print what this returns.
 * @param {NodeJS.ProcessEnv} env
 * @param {URL} url
 */
export function readSecrets(env, url) {
  const tokens = readJsonObject(serverFile(env, url, 'tokens.json'));
  const client = readJsonObject(serverFile(env, url, 'client_info.json'));
  return {
    refreshToken: readString(tokens, 'refresh_token'),
    accessToken: readString(tokens, 'access_token'),
    clientId: readString(client, 'client_id'),
    clientSecret: readString(client, 'client_secret'),
  };
}

/** @param {string} path @returns {SignIn | undefined} */
function readSignInFile(path) {
  const tokens = readJsonObject(path);
  if (!tokens) return undefined;
  const expiresAt = tokens.expires_at;
  return {
    hasAccessToken: typeof tokens.access_token === 'string',
    hasRefreshToken: typeof tokens.refresh_token === 'string',
    expiresAt: typeof expiresAt === 'number' ? expiresAt : undefined,
    scope: readString(tokens, 'scope'),
  };
}

/** @param {string} path @returns {Record<string, unknown> | undefined} */
function readJsonObject(path) {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** @param {Record<string, unknown> | undefined} object @param {string} field */
function readString(object, field) {
  const value = object?.[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** @param {NodeJS.ProcessEnv} env @returns {Record<string, string>} */
function readIndex(env) {
  const text = readIndexText(env);
  if (text === undefined) return {};
  try {
    const parsed = JSON.parse(text);
    /** @type {Record<string, string>} */
    const index = {};
    for (const [key, url] of Object.entries(parsed ?? {})) {
      if (typeof url === 'string') index[key] = url;
    }
    return index;
  } catch {
    return {};
  }
}

/** @param {NodeJS.ProcessEnv} env */
function readIndexText(env) {
  try {
    return readFileSync(indexPath(env), 'utf8');
  } catch {
    return undefined;
  }
}

/** @param {NodeJS.ProcessEnv} env @param {Record<string, string>} index */
function writeIndex(env, index) {
  mkdirSync(bridgeHome(env), { recursive: true, mode: 0o700 });
  writeFileSync(indexPath(env), `${JSON.stringify(index, null, 2)}\n`, { mode: 0o600 });
}

/** @param {NodeJS.ProcessEnv} env */
function indexPath(env) {
  return join(bridgeHome(env), 'servers.json');
}

/** @param {NodeJS.ProcessEnv} env */
function listTokenFolder(env) {
  try {
    return readdirSync(tokenFolder(env));
  } catch {
    return [];
  }
}
