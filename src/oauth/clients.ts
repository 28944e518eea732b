import { eq } from 'drizzle-orm';
import { safeEqual } from '../http/csrf.ts';
import { hashSecret } from '../secrets.ts';
import type { Db } from '../storage/database.ts';
import { clients } from '../storage/schema.ts';
import type { MetadataClient } from './client-metadata/document.ts';

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

/** Stores (or refreshes) the client a metadata document describes; keeps operator approval. */
export function upsertMetadataClient(db: Db, document: MetadataClient, now: number): Client {
  const fields = {
    clientName: document.clientName,
    redirectUris: document.redirectUris,
    grantTypes: document.grantTypes,
    scope: document.scope,
    metadata: document.metadata,
  };
  db.insert(clients)
    .values({
      ...fields,
      clientId: document.clientId,
      clientSecretHash: null,
      tokenEndpointAuthMethod: 'none',
      createdAt: now,
      registration: 'metadata_document',
    })
    .onConflictDoUpdate({ target: clients.clientId, set: fields })
    .run();
  return findClient(db, document.clientId) as Client;
}
