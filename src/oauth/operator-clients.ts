import { and, count, eq, isNull } from 'drizzle-orm';
import { hashSecret, randomToken } from '../secrets.ts';
import type { Db } from '../storage/database.ts';
import { clients, grants } from '../storage/schema.ts';
import type { Client } from './clients.ts';
import { cleanDisplayName } from './display-name.ts';
import { checkRedirectUri } from './redirect-uri.ts';
import { isDocumentScope, parseScope } from './scope.ts';

/**
 * Clients the operator creates by hand, for clients configured with a fixed id and secret
 * (Claude's advanced settings, ChatGPT's user-defined OAuth client, Cursor, Gemini CLI).
 */

export class ClientInputError extends Error {
  override name = 'ClientInputError';
}

export type OperatorClientInput = {
  name: string;
  redirectUris: string[];
  isPublic: boolean;
  preApproved: boolean;
  scope?: string;
};

export function createOperatorClient(db: Db, input: OperatorClientInput, now: number) {
  const clientName = cleanDisplayName(input.name);
  if (!clientName) throw new ClientInputError('--name must be a non-empty name');
  if (input.redirectUris.length === 0) {
    throw new ClientInputError('--redirect-uri is required (repeat it for several)');
  }
  for (const uri of input.redirectUris) {
    const problem = checkRedirectUri(uri);
    if (problem) throw new ClientInputError(`--redirect-uri ${uri} ${problem}`);
  }
  const scopes = parseScope(input.scope ?? '');
  const unknown = scopes.filter((scope) => !isDocumentScope(scope));
  if (unknown.length > 0) {
    throw new ClientInputError(`--scope may only hold documents:read and documents:write`);
  }

  const clientId = `folio_${randomToken(18)}`;
  const secret = input.isPublic ? undefined : randomToken();
  const authMethod = input.isPublic ? 'none' : 'client_secret_post';
  const grantTypes = ['authorization_code', 'refresh_token'];
  const scope = scopes.length > 0 ? scopes.join(' ') : null;

  const client: Client = {
    clientId,
    clientSecretHash: secret ? hashSecret(secret) : null,
    clientName,
    redirectUris: input.redirectUris,
    grantTypes,
    tokenEndpointAuthMethod: authMethod,
    scope,
    metadata: {
      client_id: clientId,
      client_name: clientName,
      redirect_uris: input.redirectUris,
      grant_types: grantTypes,
      response_types: ['code'],
      token_endpoint_auth_method: authMethod,
      ...(scope && { scope }),
    },
    createdAt: now,
    registration: 'operator',
    preApproved: input.preApproved,
  };
  db.insert(clients).values(client).run();
  return { client, secret };
}

export type ClientSummary = Client & { liveGrants: number };

export function listClients(db: Db): ClientSummary[] {
  const rows = db.select().from(clients).orderBy(clients.createdAt).all();
  return rows.map((client) => ({ ...client, liveGrants: countLiveGrants(db, client.clientId) }));
}

/** Removes a client and, through the schema's cascades, every grant, code and token of it. */
export function removeClient(db: Db, clientId: string): { removed: boolean; endedGrants: number } {
  return db.transaction((tx) => {
    const endedGrants = countLiveGrants(tx as unknown as Db, clientId);
    const removed = tx
      .delete(clients)
      .where(eq(clients.clientId, clientId))
      .returning({ clientId: clients.clientId })
      .all();
    return { removed: removed.length > 0, endedGrants: removed.length > 0 ? endedGrants : 0 };
  });
}

/**
 * Anyone can register a client dynamically under any name, so pre-approving one needs `force`:
 * a look-alike "Claude" in `clients list` would otherwise get codes with no consent screen.
 */
export function setPreApproved(
  db: Db,
  clientId: string,
  preApproved: boolean,
  force = false,
): 'updated' | 'missing' | 'dynamic' {
  const client = db.select().from(clients).where(eq(clients.clientId, clientId)).get();
  if (!client) return 'missing';
  if (preApproved && client.registration === 'dynamic' && !force) return 'dynamic';

  db.update(clients).set({ preApproved }).where(eq(clients.clientId, clientId)).run();
  return 'updated';
}

function countLiveGrants(db: Db, clientId: string): number {
  const [row] = db
    .select({ value: count() })
    .from(grants)
    .where(and(eq(grants.clientId, clientId), isNull(grants.revokedAt)))
    .all();
  return row?.value ?? 0;
}
