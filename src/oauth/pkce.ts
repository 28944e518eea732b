import { safeEqual } from '../http/csrf.ts';

/** RFC 7636 §4.1: 43-128 characters from the unreserved set. */
const verifierPattern = /^[A-Za-z0-9._~-]{43,128}$/;

/** An S256 challenge is the base64url SHA-256 of a verifier: exactly 43 characters. */
const challengePattern = /^[A-Za-z0-9_-]{43}$/;

export function isValidCodeChallenge(challenge: string): boolean {
  return challengePattern.test(challenge);
}

export function isValidCodeVerifier(verifier: string): boolean {
  return verifierPattern.test(verifier);
}

/** RFC 7636 §4.6 with S256 only: plain would let a stolen code be redeemed by anyone. */
export function verifyPkce(verifier: string, challenge: string): boolean {
  if (!isValidCodeVerifier(verifier)) return false;
  const computed = new Bun.CryptoHasher('sha256').update(verifier).digest('base64url');
  return safeEqual(computed, challenge);
}
