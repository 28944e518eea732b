import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import {
  countDocuments,
  createDocument,
  DocumentError,
  findDocument,
  listDocuments,
  searchDocuments,
  trashDocument,
  updateDocument,
} from '../src/documents/index.ts';
import { openStorage, type Storage } from '../src/storage/database.ts';
import { users } from '../src/storage/schema.ts';

const options = { maxBytes: 1024, now: 1_700_000_000_000 };
const trash = { now: options.now, retentionDays: 30 };
let storage: Storage;

beforeEach(() => {
  storage = openStorage(':memory:');
  for (const id of ['alice', 'bob']) {
    storage.db
      .insert(users)
      .values({ id, email: `${id}@example.com`, createdAt: 0 })
      .run();
  }
});

afterEach(() => storage.close());

function create(title: string, body: string, userId = 'alice', now = options.now) {
  return createDocument(storage.db, userId, { title, body }, { ...options, now });
}

function expectRefusal(reason: DocumentError['reason'], action: () => unknown): DocumentError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).reason).toBe(reason);
    return error as DocumentError;
  }
  throw new Error(`expected a ${reason} refusal`);
}

describe('createDocument', () => {
  it('stores a trimmed title and returns the record', () => {
    const created = create('  Meeting notes  ', 'Agenda');

    expect(created.title).toBe('Meeting notes');
    expect(findDocument(storage.db, 'alice', created.id)).toEqual(created);
  });

  it('gives random, url-safe ids', () => {
    const first = create('One', 'a');
    const second = create('Two', 'b');

    expect(first.id).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(first.id).not.toBe(second.id);
  });

  it('refuses a body over the byte limit, naming the sizes and the setting', () => {
    // 'é' is two bytes in UTF-8: 600 characters are 1,200 bytes.
    const error = expectRefusal('too_large', () => create('Big', 'é'.repeat(600)));

    expect(error.message).toBe(
      'body is 1,200 bytes; the limit is 1,024 bytes (MAX_DOCUMENT_BYTES)',
    );
    expect(countDocuments(storage.db, 'alice')).toBe(0);
  });

  it('refuses empty, overlong and multi-line titles', () => {
    expect(expectRefusal('invalid', () => create('   ', 'x')).message).toContain('title');
    expect(expectRefusal('invalid', () => create('a'.repeat(301), 'x')).message).toContain(
      'the limit is 300',
    );
    expect(expectRefusal('invalid', () => create('line\nbreak', 'x')).message).toContain(
      'control characters',
    );
    expect(countDocuments(storage.db, 'alice')).toBe(0);
  });
});

describe('updateDocument', () => {
  it('changes only what is given and moves updatedAt', () => {
    const created = create('Title', 'Old body');
    const updated = updateDocument(
      storage.db,
      'alice',
      created.id,
      { body: 'New body' },
      { ...options, now: options.now + 5 },
    );

    expect(updated).toEqual({
      ...created,
      body: 'New body',
      version: 2,
      updatedAt: options.now + 5,
    });
    expect(findDocument(storage.db, 'alice', created.id)).toEqual(updated);
  });

  it('refuses an oversized body and leaves the document and its index unchanged', () => {
    const created = create('Title', 'original words');

    expectRefusal('too_large', () =>
      updateDocument(
        storage.db,
        'alice',
        created.id,
        { title: 'New', body: 'x'.repeat(2000) },
        options,
      ),
    );
    expect(findDocument(storage.db, 'alice', created.id)).toEqual(created);
    expect(searchDocuments(storage.db, 'alice', 'original')).toHaveLength(1);
  });

  it('refuses a call that changes nothing', () => {
    const created = create('Title', 'Body');
    expectRefusal('invalid', () => updateDocument(storage.db, 'alice', created.id, {}, options));
    expect(findDocument(storage.db, 'alice', created.id)?.version).toBe(1);
  });
});

describe('user isolation', () => {
  it("treats another user's document exactly like a missing one", () => {
    const mine = create('Secret plan', 'alpha bravo');

    expect(findDocument(storage.db, 'bob', mine.id)).toBeUndefined();
    const foreign = expectRefusal('not_found', () =>
      updateDocument(storage.db, 'bob', mine.id, { title: 'Mine now' }, options),
    );
    const missing = expectRefusal('not_found', () =>
      updateDocument(storage.db, 'bob', 'no-such-id', { title: 'Mine now' }, options),
    );
    expect(foreign.message.replace(mine.id, 'ID')).toBe(
      missing.message.replace('no-such-id', 'ID'),
    );
    expectRefusal('not_found', () => trashDocument(storage.db, 'bob', mine.id, trash));

    expect(searchDocuments(storage.db, 'bob', 'alpha')).toEqual([]);
    expect(listDocuments(storage.db, 'bob').documents).toEqual([]);
    expect(countDocuments(storage.db, 'bob')).toBe(0);
    expect(findDocument(storage.db, 'alice', mine.id)).toEqual(mine);
  });
});

describe('trashDocument', () => {
  it('takes the document out of reads and search', () => {
    const created = create('Gone soon', 'ephemeral');

    expect(trashDocument(storage.db, 'alice', created.id, trash)).toEqual(created);
    expect(findDocument(storage.db, 'alice', created.id)).toBeUndefined();
    expect(searchDocuments(storage.db, 'alice', 'ephemeral')).toEqual([]);
    expectRefusal('not_found', () => trashDocument(storage.db, 'alice', created.id, trash));
  });
});

describe('listDocuments', () => {
  it('pages newest first with cursors, without gaps or repeats', () => {
    // Three share one updatedAt, so the tie-break decides their order.
    const times = [10, 20, 20, 20, 30, 40, 50];
    const created = times.map((now, index) => create(`Doc ${index}`, 'x', 'alice', now));

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = listDocuments(storage.db, 'alice', { cursor, limit: 2 });
      seen.push(...page.documents.map((entry) => entry.title));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);

    expect(pages).toBe(4);
    expect(seen).toEqual(['Doc 6', 'Doc 5', 'Doc 4', 'Doc 3', 'Doc 2', 'Doc 1', 'Doc 0']);
    expect(new Set(seen).size).toBe(created.length);
  });

  it('reports sizes in UTF-8 bytes and leaves bodies out', () => {
    create('Accents', 'Café');
    const [entry] = listDocuments(storage.db, 'alice').documents;

    expect(entry?.size).toBe(5);
    expect(entry).not.toHaveProperty('body');
  });

  it('refuses a cursor it did not issue and a limit out of range', () => {
    expectRefusal('invalid', () => listDocuments(storage.db, 'alice', { cursor: 'garbage!' }));
    expectRefusal('invalid', () => listDocuments(storage.db, 'alice', { limit: 201 }));
    expectRefusal('invalid', () => listDocuments(storage.db, 'alice', { limit: 0 }));
  });

  it('ends with a null cursor when the last page is full', () => {
    create('A', 'x');
    create('B', 'x');
    expect(listDocuments(storage.db, 'alice', { limit: 2 }).nextCursor).toBeNull();
  });
});

describe('searchDocuments', () => {
  it('finds accented words without the accents ("cafe" finds "Café")', () => {
    create('Café review', 'A small place near the station');
    expect(searchDocuments(storage.db, 'alice', 'cafe').map((hit) => hit.title)).toEqual([
      'Café review',
    ]);
  });

  it('keeps "double-quoted phrases" as phrases', () => {
    create('Exact', 'the quick brown fox');
    create('Scrambled', 'brown is the fox, quick');

    const titles = searchDocuments(storage.db, 'alice', '"quick brown"').map((hit) => hit.title);
    expect(titles).toEqual(['Exact']);
  });

  it('treats a trailing * as a prefix', () => {
    create('Planning', 'roadmap for the quarter');

    expect(searchDocuments(storage.db, 'alice', 'road*')).toHaveLength(1);
    expect(searchDocuments(storage.db, 'alice', 'road')).toHaveLength(0);
  });

  it('ranks a title match above a body match', () => {
    // The body match mentions apples three times in a short text; unweighted bm25 would put
    // it first.
    create('Groceries', 'apples, apples and more apples');
    create('Apples', 'a long list of the varieties that grow in the orchard behind the house');

    const titles = searchDocuments(storage.db, 'alice', 'apples').map((hit) => hit.title);
    expect(titles).toEqual(['Apples', 'Groceries']);
  });

  it('marks the match in the snippet', () => {
    create('Notes', 'we talked about the budget today');
    expect(searchDocuments(storage.db, 'alice', 'budget')[0]?.snippet).toContain('**budget**');
  });

  it('accepts any punctuation-laden input as a query', () => {
    create('Foo and bar', 'foo barbell');
    const queries = ['foo" AND (bar* OR', 'NEAR(foo bar)', '"', '^foo:bar', '*', 'a OR', '-foo'];

    for (const query of queries) {
      expect(() => searchDocuments(storage.db, 'alice', query)).not.toThrow();
    }
    expect(searchDocuments(storage.db, 'alice', 'foo" AND (bar* OR')).toHaveLength(1);
  });

  it('returns nothing for an empty or punctuation-only query', () => {
    create('Anything', 'text');
    expect(searchDocuments(storage.db, 'alice', '')).toEqual([]);
    expect(searchDocuments(storage.db, 'alice', ' !?() "" * ')).toEqual([]);
  });

  it('falls back to any term when no document holds every term', () => {
    create('Budget', 'numbers');
    expect(searchDocuments(storage.db, 'alice', 'budget unicorn').map((h) => h.title)).toEqual([
      'Budget',
    ]);
  });

  it('follows renames and body edits', () => {
    const created = create('Old name', 'first draft');
    updateDocument(storage.db, 'alice', created.id, { title: 'New name', body: 'final' }, options);

    expect(searchDocuments(storage.db, 'alice', 'draft')).toEqual([]);
    expect(searchDocuments(storage.db, 'alice', 'new final')).toHaveLength(1);
  });
});
