import { describe, expect, it } from 'bun:test';
import {
  createDocument,
  findDocument,
  importDocument,
  purgeDocument,
  trashDocument,
  updateDocument,
} from '../src/documents/index.ts';
import { expectRefusal, openLibrary } from './support/library.ts';

const write = { now: 1, maxBytes: 1024 * 1024, actor: 'test' };

/** The per-user totals kept by triggers must equal a recount after every kind of change. */
describe('user usage totals', () => {
  it('stay equal to a recount through create, update, trash and purge', () => {
    const storage = openLibrary();
    const recount = (userId: string) =>
      storage.sqlite
        .query(
          'select count(*) as documents, coalesce(sum(size), 0) as bytes from documents where user_id = ?',
        )
        .get(userId);
    const totals = (userId: string) =>
      storage.sqlite.query('select documents, bytes from user_usage where user_id = ?').get(userId);

    const a = createDocument(storage.db, 'alice', { title: 'A', body: 'héllo' }, write);
    const b = createDocument(storage.db, 'alice', { title: 'B', body: 'x'.repeat(500) }, write);
    createDocument(storage.db, 'bob', { title: 'C', body: 'bob text' }, write);
    expect(totals('alice')).toEqual(recount('alice'));

    updateDocument(storage.db, 'alice', a.id, { body: 'a much longer body than before' }, write);
    expect(totals('alice')).toEqual(recount('alice'));

    const trash = { now: 2, retentionDays: 30 };
    trashDocument(storage.db, 'alice', b.id, trash);
    expect(totals('alice')).toEqual(recount('alice'));
    purgeDocument(storage.db, 'alice', b.id, 'B', trash);
    expect(totals('alice')).toEqual(recount('alice'));
    expect(totals('bob')).toEqual(recount('bob'));
  });

  it('refuse a write past MAX_DOCUMENTS_PER_USER from the running totals', () => {
    const storage = openLibrary();
    const limited = { ...write, limits: { maxDocumentsPerUser: 2 } };
    createDocument(storage.db, 'alice', { title: 'one', body: '1' }, limited);
    createDocument(storage.db, 'alice', { title: 'two', body: '2' }, limited);
    expectRefusal('limit_reached', () =>
      createDocument(storage.db, 'alice', { title: 'three', body: '3' }, limited),
    );
    createDocument(storage.db, 'bob', { title: 'bob one', body: '1' }, limited);
  });
});

describe('importDocument', () => {
  it("keeps an export's times for a new document, and stamps a changed one with now", () => {
    const storage = openLibrary();
    const input = {
      title: 'Zoo',
      body: 'zebras',
      folder: '',
      tags: [],
      originId: 'path:zoo.md',
      createdAt: 1_000,
      updatedAt: 2_000,
    };
    const first = importDocument(storage.db, 'alice', input, { ...write, now: 50_000 });
    expect(findDocument(storage.db, 'alice', first.id)?.updatedAt).toBe(2_000);

    importDocument(storage.db, 'alice', { ...input, body: 'giraffes' }, { ...write, now: 90_000 });
    const changed = findDocument(storage.db, 'alice', first.id);
    expect(changed?.body).toBe('giraffes');
    expect(changed?.updatedAt).toBe(90_000);
  });
});
