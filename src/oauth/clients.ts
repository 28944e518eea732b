import { eq } from 'drizzle-orm';
import { safeEqual } from '../http/csrf.ts';
import { hashSecret } from '../secrets.ts';
import type { Db } from '../storage/database.ts';
import { clients } from '../storage/schema.ts';

export type Client = typeof clients.$inferSelect;

export type TokenEndpointAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic';

export const supportedAuthMethods: readonly TokenEndpointAuthMethod[] = [
  'none',
  'client_secret_post',
  'client_secret_basic',
];

export function saveClient(db: Db, client: Client): void {
  db.insert(clients).values(client).run();
}

export function findClient(db: Db, clientId: string): Client | undefined {
  return db.select().from(clients).where(eq(clients.clientId, clientId)).get();
}

export function isConfidential(client: Client): boolean {
  return client.tokenEndpointAuthMethod !== 'none';
}

/** Compares a presented secret with the stored hash in constant time. */
export function hasSecret(client: Client, secret: string): boolean {
  return client.clientSecretHash !== null && safeEqual(hashSecret(secret), client.clientSecretHash);
}
