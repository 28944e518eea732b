import { expect } from 'bun:test';
import { DocumentError } from '../../src/documents/index.ts';
import { openStorage, type Storage } from '../../src/storage/database.ts';
import { users } from '../../src/storage/schema.ts';

/** A fresh in-memory database with the accounts `alice` and `bob`, for library tests. */
export function openLibrary(): Storage {
  const storage = openStorage(':memory:');
  for (const id of ['alice', 'bob']) {
    storage.db
      .insert(users)
      .values({ id, email: `${id}@example.com`, createdAt: 0 })
      .run();
  }
  return storage;
}

/** Runs `action`, expecting a DocumentError with `reason`; returns it for message checks. */
export function expectRefusal(reason: DocumentError['reason'], action: () => unknown) {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).reason).toBe(reason);
    return error as DocumentError;
  }
  throw new Error(`expected a ${reason} refusal`);
}
