/**
 * Limits and periods of the documents library. The server passes what its configuration sets;
 * anything left out takes the default here, so the library never needs the config module.
 */
export type DocumentSettings = {
  /** Largest body of one document, in UTF-8 bytes (MAX_DOCUMENT_BYTES). */
  maxDocumentBytes: number;
  /** Documents one user may hold, trash included (MAX_DOCUMENTS_PER_USER). */
  maxDocumentsPerUser: number;
  /** Total UTF-8 bytes of one user's current texts, trash included (MAX_USER_BYTES). */
  maxUserBytes: number;
  /** Versions kept per document; older ones are dropped (MAX_VERSIONS_PER_DOCUMENT). */
  maxVersionsPerDocument: number;
  /** Days a deleted document stays in the trash before it is purged (TRASH_RETENTION_DAYS). */
  trashRetentionDays: number;
  /** Characters `fetch` returns before it truncates (FETCH_MAX_CHARS). */
  fetchMaxChars: number;
};

export const defaultDocumentSettings: Readonly<DocumentSettings> = Object.freeze({
  maxDocumentBytes: 1024 * 1024,
  maxDocumentsPerUser: 10_000,
  maxUserBytes: 1024 * 1024 * 1024,
  maxVersionsPerDocument: 50,
  trashRetentionDays: 30,
  // Claude caps a tool result around 150k characters; JSON escaping and metadata need room.
  fetchMaxChars: 100_000,
});

/** Fills what `source` leaves out (or sets to a non-positive number) with the defaults. */
export function resolveDocumentSettings(source: Partial<DocumentSettings>): DocumentSettings {
  const settings = { ...defaultDocumentSettings };
  for (const key of Object.keys(settings) as (keyof DocumentSettings)[]) {
    const value = source[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) settings[key] = value;
  }
  return settings;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
