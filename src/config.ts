/**
 * Settings come from environment variables, checked once at start. A bad value stops start-up
 * with a ConfigError naming the variable and the rule it broke.
 */

export type Config = Readonly<{
  port: number;
  host: string;
  /** The issuer: an origin with no path, byte-identical everywhere it is printed (RFC 8414 §2). */
  issuerUrl: string;
  /** The protected resource: `<issuer>/mcp`. */
  mcpUrl: string;
  databasePath: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  signup: 'open' | 'closed';
  trustProxyHops: number;
  allowedOrigins: readonly string[];
  maxDocumentBytes: number;
  /** Deleted documents stay in the trash this long before they are purged. */
  trashRetentionDays: number;
  maxDocumentsPerUser: number;
  maxUserBytes: number;
  maxVersionsPerDocument: number;
  /** `fetch` returns at most this many characters and says when it cut. */
  fetchMaxChars: number;
  logLevel: LogLevel;
  /** True when the issuer is https: cookies get `Secure` and the `__Host-` prefix. */
  secureCookies: boolean;
  /** Email and password accounts; when off, people sign in only through a provider. */
  localAccounts: boolean;
  /** Lowercased; when both lists are empty, any email may sign in. */
  allowedEmails: readonly string[];
  allowedDomains: readonly string[];
  google: ProviderCredentials | null;
  oidc: (ProviderCredentials & { issuerUrl: string; name: string }) | null;
}>;

export type ProviderCredentials = Readonly<{ clientId: string; clientSecret: string }>;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const port = readInteger(env, 'PORT', 8787, 1, 65535);
  const issuerUrl = readPublicUrl(env, port);
  const accessTokenTtlSeconds = readInteger(env, 'ACCESS_TOKEN_TTL', 3600, 600, 86400);

  return Object.freeze({
    port,
    host: readString(env, 'HOST', 'localhost'),
    issuerUrl,
    mcpUrl: `${issuerUrl}/mcp`,
    databasePath: readString(env, 'DATABASE_PATH', './data/folio.db'),
    accessTokenTtlSeconds,
    refreshTokenTtlSeconds: readInteger(
      env,
      'REFRESH_TOKEN_TTL',
      30 * 86400,
      accessTokenTtlSeconds,
      365 * 86400,
    ),
    signup: readChoice(env, 'SIGNUP', ['open', 'closed'] as const, 'open'),
    trustProxyHops: readInteger(env, 'TRUST_PROXY', 0, 0, 10),
    allowedOrigins: Object.freeze(readOrigins(env, 'ALLOWED_ORIGINS')),
    maxDocumentBytes: readInteger(env, 'MAX_DOCUMENT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    trashRetentionDays: readInteger(env, 'TRASH_RETENTION_DAYS', 30, 1, 3650),
    maxDocumentsPerUser: readInteger(env, 'MAX_DOCUMENTS_PER_USER', 10_000, 1, 10_000_000),
    maxUserBytes: readInteger(env, 'MAX_USER_BYTES', 1024 ** 3, 1024, 1024 ** 4),
    maxVersionsPerDocument: readInteger(env, 'MAX_VERSIONS_PER_DOCUMENT', 50, 1, 10_000),
    fetchMaxChars: readInteger(env, 'FETCH_MAX_CHARS', 100_000, 1000, 10_000_000),
    logLevel: readChoice(
      env,
      'LOG_LEVEL',
      ['debug', 'info', 'warn', 'error', 'silent'] as const,
      'info',
    ),
    secureCookies: issuerUrl.startsWith('https://'),
    ...readLoginSettings(env),
  });
}

function readLoginSettings(env: Env) {
  const localAccounts = readSwitch(env, 'LOCAL_ACCOUNTS', true);
  const google = readCredentials(env, 'GOOGLE');
  const oidcCredentials = readCredentials(env, 'OIDC');
  const issuer = env.OIDC_ISSUER?.trim();
  if (Boolean(issuer) !== Boolean(oidcCredentials)) {
    throw new ConfigError(
      'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together, or none of them',
    );
  }
  const oidc =
    issuer && oidcCredentials
      ? Object.freeze({
          ...oidcCredentials,
          issuerUrl: readIssuer(issuer),
          name: readString(env, 'OIDC_NAME', 'your organisation'),
        })
      : null;
  if (!localAccounts && !google && !oidc) {
    throw new ConfigError(
      'LOCAL_ACCOUNTS=off needs a sign-in provider: set GOOGLE_CLIENT_ID and ' +
        'GOOGLE_CLIENT_SECRET, or OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET',
    );
  }

  return {
    localAccounts,
    allowedEmails: Object.freeze(readList(env, 'ALLOWED_EMAILS', /^[^@\s]+@[^@\s]+$/, 'emails')),
    allowedDomains: Object.freeze(
      readList(env, 'ALLOWED_DOMAINS', /^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'domain names'),
    ),
    google,
    oidc,
  };
}

function readSwitch(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on or off, got "${env[name]}"`);
}

function readCredentials(env: Env, prefix: string): ProviderCredentials | null {
  const clientId = env[`${prefix}_CLIENT_ID`]?.trim();
  const clientSecret = env[`${prefix}_CLIENT_SECRET`]?.trim();
  if (clientId && !clientSecret) {
    throw new ConfigError(`${prefix}_CLIENT_ID is set, so ${prefix}_CLIENT_SECRET must be too`);
  }
  if (clientSecret && !clientId) {
    throw new ConfigError(`${prefix}_CLIENT_SECRET is set, so ${prefix}_CLIENT_ID must be too`);
  }
  return clientId && clientSecret ? Object.freeze({ clientId, clientSecret }) : null;
}

/**
 * The OpenID provider's issuer, compared byte for byte with the discovery document and the ID
 * token's `iss` (OpenID Connect Discovery §4.3). Plain http only on loopback, for development.
 */
function readIssuer(raw: string): string {
  const rule = 'OIDC_ISSUER must be an https URL such as https://id.example.com/realms/home';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${rule}, got "${raw}"`);
  }
  const loopback = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !loopback) {
    throw new ConfigError(`${rule} (http is allowed only on loopback), got "${raw}"`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`${rule} (no query, fragment or credentials), got "${raw}"`);
  }
  return raw;
}

function readList(env: Env, name: string, pattern: RegExp, what: string): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [];

  return raw.split(',').map((entry) => {
    const item = entry.trim().toLowerCase().replace(/^@/, '');
    if (!pattern.test(item)) {
      throw new ConfigError(`${name} must be a comma-separated list of ${what}, got "${entry}"`);
    }
    return item;
  });
}

/** Loopback hosts may be served over plain http (RFC 8252 §8.3, OAuth 2.1 §1.5). */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    hostname === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

function readString(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value ? value : fallback;
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;

  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function readChoice<const T extends string>(
  env: Env,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;

  const value = choices.find((choice) => choice === raw.toLowerCase());
  if (!value) throw new ConfigError(`${name} must be one of ${choices.join(', ')}, got "${raw}"`);
  return value;
}

function readPublicUrl(env: Env, port: number): string {
  const raw = env.PUBLIC_URL?.trim();
  if (!raw) return `http://localhost:${port}`;

  const rule = 'PUBLIC_URL must be an http(s) origin such as https://docs.example.com';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${rule}, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${rule}, got the scheme "${url.protocol}"`);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`${rule} (no path, query, fragment or credentials), got "${raw}"`);
  }
  return url.origin;
}

function readOrigins(env: Env, name: string): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [];

  return raw.split(',').map((entry) => {
    const item = entry.trim();
    try {
      const url = new URL(item);
      if (url.origin !== 'null' && url.origin === item.replace(/\/$/, '')) return url.origin;
    } catch {}
    throw new ConfigError(`${name} must be a comma-separated list of origins, got "${item}"`);
  });
}
