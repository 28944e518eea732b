import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { join } from 'node:path';
import { createDocuments, searchDocumentPage, searchDocuments } from '../src/documents/index.ts';
import type { Storage } from '../src/storage/database.ts';
import { type CorpusDocument, collectMarkdownSections } from './support/corpus.ts';
import { openLibrary } from './support/library.ts';

type Stored = CorpusDocument & { id: string };

let storage: Storage;
let stored: Stored[];

beforeAll(() => {
  storage = openLibrary();
  const corpus = collectMarkdownSections(join(import.meta.dir, '..', 'node_modules'));
  const options = { now: 1_700_000_000_000, maxBytes: 1 << 20, actor: 'test' };
  const created = createDocuments(storage.db, 'alice', corpus, options);
  stored = corpus.map((document, index) => ({ ...document, id: created[index]?.id ?? '' }));
  // Reading a few megabytes of Markdown takes a second or two on a busy machine.
}, 30_000);
afterAll(() => storage.close());

/**
 * Six plain words in a row from the middle of a section, when no other section holds them in
 * that order: the passage a person remembers and searches for.
 */
function pickPassage(document: Stored, bodies: string[]): string | undefined {
  const lines = document.body.split('\n');
  const middle = Math.floor(lines.length / 2);
  const order = lines.map((_, index) => (middle + index) % lines.length);
  for (const index of order) {
    const words = (lines[index] ?? '').trim().split(/\s+/);
    for (let at = 0; at + 6 <= words.length; at += 1) {
      const run = words.slice(at, at + 6);
      if (!run.every((word) => /^[A-Za-z]{2,}$/.test(word))) continue;
      const phrase = run.join(' ');
      const holders = bodies.filter((body) => body.includes(phrase));
      return holders.length === 1 ? phrase : undefined;
    }
  }
  return undefined;
}

describe('search over a few thousand real Markdown sections', () => {
  it('holds a few thousand documents', () => {
    expect(stored.length).toBeGreaterThan(2000);
  });

  it('finds known passages first, by phrase and by their words', () => {
    const bodies = stored.map((document) => document.body.replace(/\s+/g, ' '));
    const probes: { phrase: string; id: string }[] = [];
    for (let index = 0; index < stored.length && probes.length < 40; index += 13) {
      const document = stored[index] as Stored;
      const phrase = pickPassage(document, bodies);
      if (phrase) probes.push({ phrase, id: document.id });
    }
    expect(probes.length).toBeGreaterThan(20);

    for (const { phrase, id } of probes) {
      expect(searchDocuments(storage.db, 'alice', `"${phrase}"`)[0]?.id).toBe(id);
    }
    // Without quotes the words may appear apart elsewhere; the section still ranks near the top.
    const nearTop = probes.filter(({ phrase, id }) =>
      searchDocuments(storage.db, 'alice', phrase, { limit: 3 }).some((hit) => hit.id === id),
    );
    expect(nearTop.length / probes.length).toBeGreaterThan(0.9);
  });

  it('ranks a section whose title holds the word above sections that only mention it', () => {
    const hits = searchDocuments(storage.db, 'alice', 'installation', { limit: 10 });
    expect(hits.length).toBe(10);
    expect(hits.slice(0, 3).every((hit) => /install/i.test(hit.title))).toBe(true);
  });

  it('pages through every hit of a common word without repeats', () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = searchDocumentPage(storage.db, 'alice', 'licen*', { limit: 50, cursor });
      for (const hit of page.hits) seen.add(hit.id);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor && pages < 100);
    const expected = stored.filter((d) => /\blicen/i.test(`${d.title} ${d.body}`)).length;
    expect(seen.size).toBeGreaterThan(expected * 0.9);
    expect(pages).toBeGreaterThan(1);
  });

  it('marks matches in snippets and folds accents and case', () => {
    const [hit] = searchDocuments(storage.db, 'alice', 'MAS SOBRE biome');
    expect(hit?.title).toBe('Más sobre Biome');
    expect(hit?.snippet).toContain('**');
  });
});
