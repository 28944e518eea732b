import { eq } from 'drizzle-orm';
import type { Db } from '../storage/database.ts';
import { userUsage } from '../storage/schema.ts';
import { DocumentError } from './document-error.ts';
import { type DocumentSettings, defaultDocumentSettings } from './settings.ts';

/**
 * Refuses a write that would take the user past the per-user document count or byte total.
 * Documents in the trash count: they are still stored.
 */
export function checkUserQuota(
  tx: Pick<Db, 'select'>,
  userId: string,
  adding: { documents: number; bytes: number },
  limits: Partial<DocumentSettings> = {},
): void {
  const maxDocuments = limits.maxDocumentsPerUser ?? defaultDocumentSettings.maxDocumentsPerUser;
  const maxBytes = limits.maxUserBytes ?? defaultDocumentSettings.maxUserBytes;
  // Running totals kept by triggers (drizzle/0008): one row, however large the library.
  const usage = tx
    .select({ documents: userUsage.documents, bytes: userUsage.bytes })
    .from(userUsage)
    .where(eq(userUsage.userId, userId))
    .get();
  const held = usage?.documents ?? 0;
  const bytes = usage?.bytes ?? 0;

  if (held + adding.documents > maxDocuments) {
    throw new DocumentError(
      'limit_reached',
      `you hold ${formatCount(held)} documents (trash included); the limit is ` +
        `${formatCount(maxDocuments)} per user (MAX_DOCUMENTS_PER_USER). Purge documents from ` +
        'the trash or delete some first',
    );
  }
  if (bytes + adding.bytes > maxBytes) {
    throw new DocumentError(
      'limit_reached',
      `this would bring your documents to ${formatCount(bytes + adding.bytes)} bytes (trash ` +
        `included); the limit is ${formatCount(maxBytes)} bytes per user (MAX_USER_BYTES)`,
    );
  }
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
