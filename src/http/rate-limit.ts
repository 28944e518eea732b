import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from './errors.ts';

/** Requests allowed per minute, per caller address and per OAuth client or account. */
export type RateLimitOptions = Record<Bucket, { perAddress: number; perSubject: number }>;

export type Bucket = 'register' | 'authorize' | 'token' | 'signin';

export const defaultRateLimits: RateLimitOptions = {
  register: { perAddress: 30, perSubject: 30 },
  authorize: { perAddress: 120, perSubject: 60 },
  token: { perAddress: 300, perSubject: 120 },
  // Password guessing: few tries per account, a few more per address.
  signin: { perAddress: 30, perSubject: 10 },
};

export type RateLimits = {
  /** Throws RateLimitedError when the address or subject has used its minute's allowance. */
  consume(
    bucket: Bucket,
    address: string,
    subject: string | undefined,
    format: 'json' | 'page',
  ): Promise<void>;
};

export function createRateLimits(options: RateLimitOptions = defaultRateLimits): RateLimits {
  const limiters = new Map<string, RateLimiterMemory>();
  for (const [bucket, limits] of Object.entries(options)) {
    limiters.set(
      `${bucket}:address`,
      new RateLimiterMemory({ points: limits.perAddress, duration: 60 }),
    );
    limiters.set(
      `${bucket}:subject`,
      new RateLimiterMemory({ points: limits.perSubject, duration: 60 }),
    );
  }

  return {
    async consume(bucket, address, subject, format) {
      try {
        await limiters.get(`${bucket}:address`)?.consume(address);
        if (subject) await limiters.get(`${bucket}:subject`)?.consume(subject);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        throw new RateLimitedError(Math.max(1, Math.ceil(error.msBeforeNext / 1000)), format);
      }
    },
  };
}
