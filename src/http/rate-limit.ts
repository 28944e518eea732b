import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from './errors.ts';

/** Requests allowed per minute, per caller address and per subject (see each caller). */
export type RateLimitOptions = Record<Bucket, { perAddress: number; perSubject: number }>;

export type Bucket = 'register' | 'authorize' | 'token' | 'signin';

export const defaultRateLimits: RateLimitOptions = {
  register: { perAddress: 30, perSubject: 30 },
  authorize: { perAddress: 120, perSubject: 120 },
  // Subject: an authenticated confidential client.
  token: { perAddress: 300, perSubject: 120 },
  // Subject: failed passwords for one account from one address.
  signin: { perAddress: 30, perSubject: 10 },
};

type Format = 'json' | 'page';

/**
 * Subjects are only charged by callers that proved who they are, or for failures: charging a
 * client id or an email on every request would let anyone who knows it lock its owner out.
 */
export type RateLimits = {
  /** Counts one request from `address`; throws RateLimitedError past the allowance. */
  consumeAddress(bucket: Bucket, address: string, format: Format): Promise<void>;
  /** Counts one against `subject`; throws RateLimitedError past the allowance. */
  consumeSubject(bucket: Bucket, subject: string, format: Format): Promise<void>;
  /** Throws when `subject` has nothing left, without counting this request. */
  checkSubject(bucket: Bucket, subject: string, format: Format): Promise<void>;
};

export function createRateLimits(options: RateLimitOptions = defaultRateLimits): RateLimits {
  const limiters = new Map<string, RateLimiterMemory>();
  for (const [bucket, limits] of Object.entries(options)) {
    const perMinute = (points: number) => new RateLimiterMemory({ points, duration: 60 });
    limiters.set(`${bucket}:address`, perMinute(limits.perAddress));
    limiters.set(`${bucket}:subject`, perMinute(limits.perSubject));
  }
  const limiterFor = (bucket: Bucket, kind: 'address' | 'subject') => {
    const limiter = limiters.get(`${bucket}:${kind}`);
    if (!limiter) throw new Error(`no rate limit configured for ${bucket}`);
    return limiter;
  };

  const consume = async (limiter: RateLimiterMemory, key: string, format: Format) => {
    try {
      await limiter.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      throw new RateLimitedError(secondsUntil(error), format);
    }
  };

  return {
    consumeAddress: (bucket, address, format) =>
      consume(limiterFor(bucket, 'address'), address, format),
    consumeSubject: (bucket, subject, format) =>
      consume(limiterFor(bucket, 'subject'), subject, format),
    async checkSubject(bucket, subject, format) {
      const state = await limiterFor(bucket, 'subject').get(subject);
      if (state && state.remainingPoints <= 0) {
        throw new RateLimitedError(secondsUntil(state), format);
      }
    },
  };
}

function secondsUntil(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}
