import type { Db } from '../storage/database.ts';
import { documents, documentVersions } from '../storage/schema.ts';
import { publishChange } from './change-feed.ts';
import { DocumentError } from './document-error.ts';
import { checkBody, checkFolder, checkTags, checkTitle } from './document-rules.ts';
import { type DocumentRecord, newDocumentId, versionRow, type WriteOptions } from './documents.ts';
import { checkUserQuota } from './quota.ts';
import { prepareSearchText } from './search-text.ts';

/**
 * Creates many documents in one transaction, for bulk loads: all are stored or, when one is
 * refused, none (the message names its position).
 */
export function createDocuments(
  db: Db,
  userId: string,
  inputs: readonly { title: string; body: string; folder?: string; tags?: readonly string[] }[],
  options: WriteOptions,
): DocumentRecord[] {
  const rows = inputs.map((input, index) => {
    try {
      const record: DocumentRecord = {
        id: newDocumentId(),
        title: checkTitle(input.title),
        body: input.body,
        folder: checkFolder(input.folder ?? ''),
        tags: checkTags(input.tags ?? []),
        version: 1,
        createdAt: options.now,
        updatedAt: options.now,
      };
      return { record, size: checkBody(input.body, options.maxBytes) };
    } catch (error) {
      if (error instanceof DocumentError) {
        throw new DocumentError(error.reason, `documents[${index}]: ${error.message}`);
      }
      throw error;
    }
  });
  const bytes = rows.reduce((total, row) => total + row.size, 0);

  db.transaction((tx) => {
    checkUserQuota(tx, userId, { documents: rows.length, bytes }, options.limits);
    // SQLite caps bound parameters per statement; 50 rows of 13 columns stay well under it.
    for (let start = 0; start < rows.length; start += 50) {
      const chunk = rows.slice(start, start + 50);
      tx.insert(documents)
        .values(
          chunk.map(({ record, size }) => ({
            ...record,
            userId,
            size,
            searchTitle: prepareSearchText(record.title),
            searchBody: prepareSearchText(record.body),
          })),
        )
        .run();
      tx.insert(documentVersions)
        .values(chunk.map(({ record }) => versionRow(record, 'create', options)))
        .run();
    }
  });
  for (const { record } of rows) {
    publishChange(db, { userId, documentId: record.id, kind: 'created' });
  }
  return rows.map((row) => row.record);
}
