import { randomBytes } from 'node:crypto';

/** 256 bits from the CSPRNG, base64url: unguessable codes, tokens, secrets and ids. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Secrets held by clients and browsers are stored as SHA-256 hashes: they are high-entropy,
 * so a fast hash suffices, and a leaked database cannot be replayed.
 */
export function hashSecret(secret: string): string {
  return new Bun.CryptoHasher('sha256').update(secret).digest('base64url');
}
