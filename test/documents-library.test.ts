import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import {
  appendToDocument,
  countDocuments,
  createDocument,
  DAY_MS,
  findDocument,
  listDocuments,
  listHistory,
  listSubfolders,
  listTrash,
  parseDateFilter,
  purgeDocument,
  readRange,
  readSection,
  replaceInDocument,
  restoreDocument,
  restoreVersion,
  searchDocumentPage,
  searchDocuments,
  trashDocument,
  updateDocument,
  type WriteOptions,
} from '../src/documents/index.ts';
import type { Storage } from '../src/storage/database.ts';
import { documentVersions } from '../src/storage/schema.ts';
import { expectRefusal, openLibrary } from './support/library.ts';

const start = 1_700_000_000_000;
let storage: Storage;
let clock: number;

beforeEach(() => {
  storage = openLibrary();
  clock = start;
});
afterEach(() => storage.close());

function options(actor = 'client-a', limits: WriteOptions['limits'] = {}): WriteOptions {
  clock += 1000;
  return { now: clock, maxBytes: 4096, actor, limits };
}

function create(title: string, body: string, extra: { folder?: string; tags?: string[] } = {}) {
  return createDocument(storage.db, 'alice', { title, body, ...extra }, options());
}

const trash = (retentionDays = 30) => ({ now: clock, retentionDays });

describe('versions', () => {
  it('keeps every version with who changed it, when and how large', () => {
    const doc = create('Plan', 'one');
    updateDocument(storage.db, 'alice', doc.id, { body: 'one two' }, options('client-b'));
    appendToDocument(storage.db, 'alice', doc.id, { text: 'three' }, options('cli'));

    const { versions } = listHistory(storage.db, 'alice', doc.id);
    expect(versions.map((v) => [v.version, v.changedBy, v.action, v.size])).toEqual([
      [3, 'cli', 'append', 13],
      [2, 'client-b', 'update', 7],
      [1, 'client-a', 'create', 3],
    ]);
    expect(versions[0]?.changedAt).toBe(clock);
  });

  it('restores an old version as a new version after a bad edit', () => {
    const doc = create('Essay', 'a careful argument');
    updateDocument(storage.db, 'alice', doc.id, { body: 'oops, all gone' }, options('bad-bot'));

    const restored = restoreVersion(storage.db, 'alice', doc.id, { version: 1 }, options());

    expect(restored).toMatchObject({ version: 3, body: 'a careful argument' });
    expect(listHistory(storage.db, 'alice', doc.id).versions).toHaveLength(3);
    expect(findDocument(storage.db, 'alice', doc.id)?.body).toBe('a careful argument');
  });

  it('drops the oldest versions beyond the per-document limit', () => {
    const doc = create('Busy', 'v1');
    for (let n = 2; n <= 6; n += 1) {
      const opts = options('c', { maxVersionsPerDocument: 3 });
      updateDocument(storage.db, 'alice', doc.id, { body: `v${n}` }, opts);
    }
    const kept = listHistory(storage.db, 'alice', doc.id).versions.map((v) => v.version);
    expect(kept).toEqual([6, 5, 4]);
    expectRefusal('not_found', () =>
      restoreVersion(storage.db, 'alice', doc.id, { version: 1 }, options()),
    );
  });
});

describe('optimistic concurrency', () => {
  it('refuses an update based on an old version, naming the current one', () => {
    const doc = create('Shared', 'base text');
    updateDocument(storage.db, 'alice', doc.id, { body: 'first', baseVersion: 1 }, options('a'));

    const error = expectRefusal('conflict', () =>
      updateDocument(storage.db, 'alice', doc.id, { body: 'second', baseVersion: 1 }, options()),
    );
    expect(error.message).toContain('base_version 1');
    expect(error.message).toContain('which is 2');
    expect(findDocument(storage.db, 'alice', doc.id)).toMatchObject({ body: 'first', version: 2 });
  });
});

describe('precise edits', () => {
  it('appends on a new line', () => {
    const doc = create('Log', 'first line');
    const after = appendToDocument(storage.db, 'alice', doc.id, { text: 'second' }, options());
    expect(after.body).toBe('first line\nsecond');
  });

  it('replaces a passage that occurs exactly once', () => {
    const doc = create('Letter', 'Dear Ann,\nthe meeting is on Monday.\nBest');
    const request = { oldText: 'on Monday', newText: 'on Tuesday' };
    const after = replaceInDocument(storage.db, 'alice', doc.id, request, options());
    expect(after.body).toBe('Dear Ann,\nthe meeting is on Tuesday.\nBest');
  });

  it('refuses a passage that occurs twice or never, saying how many times', () => {
    const doc = create('Repeats', 'todo: a\ntodo: b');
    const twice = expectRefusal('not_unique', () =>
      replaceInDocument(storage.db, 'alice', doc.id, { oldText: 'todo', newText: 'x' }, options()),
    );
    expect(twice.message).toContain('occurs 2 times');
    const never = expectRefusal('invalid', () =>
      replaceInDocument(storage.db, 'alice', doc.id, { oldText: 'zzz', newText: 'x' }, options()),
    );
    expect(never.message).toContain('occurs 0 times');
    expect(findDocument(storage.db, 'alice', doc.id)?.version).toBe(1);
  });
});

describe('trash', () => {
  it('restores a deleted document as it was', () => {
    const doc = create('Keep me', 'precious', { folder: 'a/b', tags: ['x'] });
    trashDocument(storage.db, 'alice', doc.id, trash());
    expect(countDocuments(storage.db, 'alice')).toBe(0);
    expect(listTrash(storage.db, 'alice', trash()).documents.map((d) => d.id)).toEqual([doc.id]);

    const back = restoreDocument(storage.db, 'alice', doc.id, trash());
    expect(back).toEqual(doc);
    expect(searchDocuments(storage.db, 'alice', 'precious')).toHaveLength(1);
  });

  it('purges a trashed document only when its exact title is repeated', () => {
    const doc = create('Tax 2025', 'numbers');
    trashDocument(storage.db, 'alice', doc.id, trash());

    for (const wrong of ['', 'tax 2025', 'Tax 2025 ']) {
      const error = expectRefusal('invalid', () =>
        purgeDocument(storage.db, 'alice', doc.id, wrong, trash()),
      );
      expect(error.message).toContain('confirm_title');
    }
    expect(listTrash(storage.db, 'alice', trash()).documents).toHaveLength(1);

    purgeDocument(storage.db, 'alice', doc.id, 'Tax 2025', trash());
    expect(listTrash(storage.db, 'alice', trash()).documents).toHaveLength(0);
    expect(storage.db.select().from(documentVersions).all()).toEqual([]);
  });

  it('refuses to purge a document that is not in the trash', () => {
    const doc = create('Live', 'text');
    expectRefusal('not_found', () => purgeDocument(storage.db, 'alice', doc.id, 'Live', trash()));
    expect(findDocument(storage.db, 'alice', doc.id)).toBeDefined();
  });

  it('purges documents once they are older than the retention period', () => {
    const doc = create('Old', 'text');
    trashDocument(storage.db, 'alice', doc.id, trash(30));
    const entry = listTrash(storage.db, 'alice', trash(30)).documents[0];
    expect(entry?.purgeAt).toBe(clock + 30 * DAY_MS);

    clock += 31 * DAY_MS;
    expect(listTrash(storage.db, 'alice', trash(30)).documents).toEqual([]);
    expectRefusal('not_found', () => restoreDocument(storage.db, 'alice', doc.id, trash(30)));
  });
});

describe('folders and tags', () => {
  it('filters by folder, subfolders and tag, and lists subfolders with counts', () => {
    create('Plan', 'x', { folder: 'projects/2026', tags: ['Draft'] });
    create('Notes', 'x', { folder: 'projects/2026/q1' });
    create('Other', 'x', { folder: 'projects%' });
    create('Root', 'x', { tags: ['draft'] });

    const titles = (o: Parameters<typeof listDocuments>[2]) =>
      listDocuments(storage.db, 'alice', o).documents.map((d) => d.title);
    expect(titles({ folder: 'projects/2026' })).toEqual(['Plan']);
    expect(titles({ folder: '/projects/2026/', recursive: true })).toEqual(['Notes', 'Plan']);
    expect(titles({ tag: 'DRAFT' })).toEqual(['Root', 'Plan']);
    expect(listSubfolders(storage.db, 'alice', '')).toEqual([
      { path: 'projects', documents: 2 },
      { path: 'projects%', documents: 1 },
    ]);
    expect(listSubfolders(storage.db, 'alice', 'projects')).toEqual([
      { path: 'projects/2026', documents: 2 },
    ]);
  });

  it('moves a document and refuses folder paths with . or ..', () => {
    const doc = create('Plan', 'x');
    const moved = updateDocument(storage.db, 'alice', doc.id, { folder: 'archive' }, options());
    expect(moved.folder).toBe('archive');
    expectRefusal('invalid', () =>
      updateDocument(storage.db, 'alice', doc.id, { folder: 'a/../b' }, options()),
    );
  });

  it('reads a bare date as the whole day when it is an upper bound', () => {
    expect(parseDateFilter('updated_before', '2026-01-31')).toBe(
      Date.parse('2026-02-01T00:00:00Z') - 1,
    );
    expect(parseDateFilter('updated_after', '2026-01-31')).toBe(Date.parse('2026-01-31'));
    expectRefusal('invalid', () => parseDateFilter('updated_after', 'yesterday'));
  });

  it('filters by update date', () => {
    create('Early', 'x');
    clock += 10 * DAY_MS;
    create('Late', 'x');
    const after = listDocuments(storage.db, 'alice', { updatedAfter: clock - DAY_MS });
    expect(after.documents.map((d) => d.title)).toEqual(['Late']);
  });
});

describe('limits', () => {
  it('refuses a document past the per-user count, naming the setting', () => {
    const limits = { maxDocumentsPerUser: 2 };
    createDocument(storage.db, 'alice', { title: 'a', body: 'x' }, options('c', limits));
    createDocument(storage.db, 'alice', { title: 'b', body: 'x' }, options('c', limits));
    const error = expectRefusal('limit_reached', () =>
      createDocument(storage.db, 'alice', { title: 'c', body: 'x' }, options('c', limits)),
    );
    expect(error.message).toContain('MAX_DOCUMENTS_PER_USER');
    expect(countDocuments(storage.db, 'alice')).toBe(2);
    createDocument(storage.db, 'bob', { title: 'b', body: 'x' }, options('c', limits));
  });

  it('refuses growth past the per-user byte total, naming the setting', () => {
    const limits = { maxUserBytes: 10 };
    const doc = createDocument(storage.db, 'alice', { title: 'a', body: '12345' }, options());
    const error = expectRefusal('limit_reached', () =>
      appendToDocument(storage.db, 'alice', doc.id, { text: '678901' }, options('c', limits)),
    );
    expect(error.message).toContain('MAX_USER_BYTES');
    expect(findDocument(storage.db, 'alice', doc.id)?.body).toBe('12345');
  });

  it('refuses a 10 MB document without side effects', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const big = { now: clock, maxBytes: 1024 * 1024 };
    const error = expectRefusal('too_large', () =>
      createDocument(storage.db, 'alice', { title: 'Huge', body: huge }, big),
    );
    expect(error.message).toContain('10,485,760 bytes');
    expect(error.message).toContain('MAX_DOCUMENT_BYTES');
    expect(countDocuments(storage.db, 'alice')).toBe(0);
    expect(storage.db.select().from(documentVersions).all()).toEqual([]);
    expect(searchDocuments(storage.db, 'alice', 'huge')).toEqual([]);
  });
});

describe('reading in pieces', () => {
  const body = '# Intro\nhello\n## Budget\nmoney 💶 here\n## Plan\nsteps\n# End\nbye';

  it('reads a character range and reports the total length and the next offset', () => {
    const piece = readRange(body, 0, 10);
    expect(piece).toMatchObject({ text: '# Intro\nhe', offset: 0, nextOffset: 10 });
    expect(piece.totalLength).toBe(body.length);
    expect(readRange(body, piece.nextOffset ?? 0, 1000).nextOffset).toBeNull();
  });

  it('never splits an emoji', () => {
    const at = body.indexOf('💶');
    expect(readRange(body, 0, at + 1).text.endsWith('money ')).toBe(true);
  });

  it('reads the section under a heading up to the next heading of its level', () => {
    expect(readSection(body, 'budget').text).toBe('## Budget\nmoney 💶 here\n');
    expect(readSection(body, 'Intro').text).toContain('## Plan\nsteps\n');
    const error = expectRefusal('not_found', () => readSection(body, 'Missing'));
    expect(error.message).toContain('"Budget"');
  });
});

describe('search', () => {
  it('pages with a cursor tied to the query', () => {
    for (let n = 0; n < 5; n += 1) create(`Note ${n}`, 'shared word');
    const first = searchDocumentPage(storage.db, 'alice', 'shared', { limit: 3 });
    expect(first.hits).toHaveLength(3);
    const cursor = first.nextCursor ?? '';
    const second = searchDocumentPage(storage.db, 'alice', 'shared', { limit: 3, cursor });
    expect(second.hits).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const ids = new Set([...first.hits, ...second.hits].map((hit) => hit.id));
    expect(ids.size).toBe(5);
    expectRefusal('invalid', () =>
      searchDocumentPage(storage.db, 'alice', 'other', { limit: 3, cursor }),
    );
  });

  it('finds CJK words inside sentences, and emoji-laden text by its words', () => {
    create('東京の地図', '今日は東京タワーに行きました 🗼');
    create('Other', 'nothing here');
    expect(searchDocuments(storage.db, 'alice', '東京').map((hit) => hit.title)).toEqual([
      '東京の地図',
    ]);
    const [hit] = searchDocuments(storage.db, 'alice', 'タワー');
    expect(hit?.snippet).toContain('**タワー**');
    expect(hit?.snippet).not.toContain('\u200b');
  });

  it('filters by folder and tag', () => {
    create('A', 'apple', { folder: 'fruit', tags: ['red'] });
    create('B', 'apple', { folder: 'trees' });
    const inFruit = searchDocuments(storage.db, 'alice', 'apple', { folder: 'fruit' });
    expect(inFruit.map((hit) => hit.title)).toEqual(['A']);
    expect(searchDocuments(storage.db, 'alice', 'apple', { tag: 'red' })).toHaveLength(1);
  });

  it('leaves trashed documents out', () => {
    const doc = create('Binned', 'rubbish');
    trashDocument(storage.db, 'alice', doc.id, trash());
    expect(searchDocuments(storage.db, 'alice', 'rubbish')).toEqual([]);
  });
});
