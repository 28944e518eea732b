import { desc } from 'drizzle-orm';
import { randomToken } from '../secrets.ts';
import type { Db } from '../storage/database.ts';
import { signingKeys } from '../storage/schema.ts';

export type SigningKey = {
  kid: string;
  alg: 'ES256';
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JsonWebKey;
};

const algorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/**
 * The key that signs access tokens: generated on first start and kept in the database, so a
 * restart leaves every issued token valid.
 */
export async function loadSigningKey(db: Db, now: number): Promise<SigningKey> {
  const stored = db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt)).limit(1).get();
  if (stored) return importSigningKey(stored.kid, stored.privateJwk, stored.publicJwk);

  const pair = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const privateJwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const kid = randomToken(12);

  // A concurrent first start may have won the race; keep whichever key landed first.
  db.insert(signingKeys)
    .values({ kid, alg: 'ES256', privateJwk, publicJwk, createdAt: now })
    .onConflictDoNothing()
    .run();
  return importSigningKey(kid, privateJwk, publicJwk);
}

async function importSigningKey(
  kid: string,
  privateJwk: JsonWebKey,
  publicJwk: JsonWebKey,
): Promise<SigningKey> {
  const privateKey = await crypto.subtle.importKey('jwk', privateJwk, algorithm, false, ['sign']);
  const publicKey = await crypto.subtle.importKey('jwk', publicJwk, algorithm, true, ['verify']);
  const { kty, crv, x, y } = publicJwk;
  return {
    kid,
    alg: 'ES256',
    privateKey,
    publicKey,
    publicJwk: { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' } as JsonWebKey,
  };
}
