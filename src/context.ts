import type { Config } from './config.ts';
import type { RateLimits } from './http/rate-limit.ts';
import type { Logger } from './log.ts';
import type { Db, Storage } from './storage/database.ts';

/** What every feature plugin is built from. Tests build one with a silent logger. */
export type AppContext = Readonly<{
  config: Config;
  storage: Storage;
  db: Db;
  logger: Logger;
  rateLimits: RateLimits;
  /** Milliseconds since the epoch; injectable so tests can move time forward. */
  now: () => number;
}>;

/** What the bearer gate learns from a valid access token (RFC 9068 claims, narrowed). */
export type VerifiedAccessToken = Readonly<{
  userId: string;
  clientId: string;
  grantId: string;
  scopes: readonly string[];
  /** Seconds since the epoch. */
  expiresAt: number;
}>;

/** Checks signature, issuer, audience, expiry and that the grant is still live. */
export type AccessTokenVerifier = (token: string) => Promise<VerifiedAccessToken | null>;
