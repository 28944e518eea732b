import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

/**
 * What Folio stores. Every secret a client or browser holds (client secrets, session ids,
 * authorization codes, refresh tokens) is stored only as a SHA-256 hash, so a copy of the
 * database cannot be replayed. Times are milliseconds since the epoch.
 */

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash'),
  createdAt: integer('created_at').notNull(),
});

export const browserSessions = sqliteTable(
  'browser_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (table) => [index('browser_sessions_user').on(table.userId)],
);

export const clients = sqliteTable('clients', {
  clientId: text('client_id').primaryKey(),
  clientSecretHash: text('client_secret_hash'),
  clientName: text('client_name'),
  redirectUris: text('redirect_uris', { mode: 'json' }).$type<string[]>().notNull(),
  grantTypes: text('grant_types', { mode: 'json' }).$type<string[]>().notNull(),
  tokenEndpointAuthMethod: text('token_endpoint_auth_method').notNull(),
  scope: text('scope'),
  /** The registration response as sent (RFC 7591 §3.2.1), minus the secret. */
  metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  createdAt: integer('created_at').notNull(),
  /** How the client came to be: dynamic registration, the operator, or a metadata document. */
  registration: text('registration', { enum: ['dynamic', 'operator', 'metadata_document'] })
    .notNull()
    .default('dynamic'),
  /** Set by the operator: users of this client are not asked for consent. */
  preApproved: integer('pre_approved', { mode: 'boolean' }).notNull().default(false),
});

export const consents = sqliteTable(
  'consents',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clientId: text('client_id')
      .notNull()
      .references(() => clients.clientId, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.clientId] })],
);

export const grants = sqliteTable(
  'grants',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clientId: text('client_id')
      .notNull()
      .references(() => clients.clientId, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    resource: text('resource').notNull(),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (table) => [index('grants_user_client').on(table.userId, table.clientId)],
);

export const authorizationCodes = sqliteTable('authorization_codes', {
  codeHash: text('code_hash').primaryKey(),
  clientId: text('client_id')
    .notNull()
    .references(() => clients.clientId, { onDelete: 'cascade' }),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  redirectUri: text('redirect_uri').notNull(),
  codeChallenge: text('code_challenge').notNull(),
  resource: text('resource').notNull(),
  scope: text('scope').notNull(),
  expiresAt: integer('expires_at').notNull(),
  /** Set when exchanged; a second exchange revokes this grant (RFC 6749 §4.1.2). */
  grantId: text('grant_id'),
});

export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    grantId: text('grant_id')
      .notNull()
      .references(() => grants.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    rotatedAt: integer('rotated_at'),
  },
  (table) => [index('refresh_tokens_grant').on(table.grantId)],
);

export const signingKeys = sqliteTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  privateJwk: text('private_jwk', { mode: 'json' }).$type<JsonWebKey>().notNull(),
  publicJwk: text('public_jwk', { mode: 'json' }).$type<JsonWebKey>().notNull(),
  createdAt: integer('created_at').notNull(),
});

export const documents = sqliteTable(
  'documents',
  {
    /** Internal row number, the FTS5 content rowid; never leaves the server. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** `projects/2026`, no leading or trailing slash; '' is the top level. */
    /** The body's size in UTF-8 bytes, kept beside it so quotas and lists never read bodies. */
    size: integer('size').notNull().default(0),
    folder: text('folder').notNull().default(''),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** Starts at 1 and grows by one on every change; optimistic concurrency compares it. */
    version: integer('version').notNull().default(1),
    /** Set while the document is in the trash; purged once older than the retention period. */
    deletedAt: integer('deleted_at'),
    /** The id a document had in the export it was imported from, so re-imports update it. */
    originId: text('origin_id'),
    /**
     * Title and body as the search index sees them, only when they differ from the text: CJK
     * runs get a zero-width space between characters so each one is a token. Null otherwise.
     */
    searchTitle: text('search_title'),
    searchBody: text('search_body'),
  },
  (table) => [
    index('documents_user_updated').on(table.userId, table.updatedAt, table.seq),
    index('documents_user_folder').on(table.userId, table.folder),
    index('documents_user_origin').on(table.userId, table.originId),
    index('documents_user_size').on(table.userId, table.size),
  ],
);

/** Every version of every document, the current one included; removed with the document. */
export const documentVersions = sqliteTable(
  'document_versions',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    documentId: text('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    folder: text('folder').notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    /** What made it: create, update, append, replace, move, restore, import. */
    action: text('action').notNull(),
    /** The OAuth client id of the caller, or `cli` or `web`. */
    changedBy: text('changed_by').notNull(),
    changedAt: integer('changed_at').notNull(),
  },
  (table) => [uniqueIndex('document_versions_document').on(table.documentId, table.version)],
);

/** Random keys the server keeps for itself (never sent anywhere), created on first use. */
export const serverSecrets = sqliteTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * The ways a person proves who they are. One user may hold several (a password, Google, an
 * OpenID provider), linked by the same verified email. `issuer` and `subject` identify the
 * person upstream (OpenID Connect Core §2: `sub` is unique only within its issuer).
 */
export const identities = sqliteTable(
  'identities',
  {
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    provider: text('provider', { enum: ['password', 'google', 'oidc'] }).notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.issuer, table.subject] }),
    index('identities_user').on(table.userId),
  ],
);

/**
 * Sign-ins in flight at an upstream provider. The browser holds the state (stored hashed, single
 * use) and a binding cookie (stored hashed); the PKCE verifier and nonce never leave the server.
 * `clientId` and `scope` are set when this browser approved an MCP client before leaving.
 */
export const upstreamSignIns = sqliteTable('upstream_sign_ins', {
  stateHash: text('state_hash').primaryKey(),
  provider: text('provider').notNull(),
  browserHash: text('browser_hash').notNull(),
  codeVerifier: text('code_verifier').notNull(),
  nonce: text('nonce').notNull(),
  returnTo: text('return_to').notNull(),
  clientId: text('client_id'),
  scope: text('scope'),
  expiresAt: integer('expires_at').notNull(),
});

/**
 * What each user holds (documents and bytes, trash included), kept current by triggers on
 * `documents` (drizzle/0008), so the quota check on every write reads one row instead of
 * scanning the library.
 */
export const userUsage = sqliteTable('user_usage', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  documents: integer('documents').notNull().default(0),
  bytes: integer('bytes').notNull().default(0),
});
