import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, type CommandDeps } from '../src/cli/command.ts';
import { runExport } from '../src/cli/export.ts';
import { runImport } from '../src/cli/import.ts';
import { loadConfig } from '../src/config.ts';
import {
  createDocument,
  findDocument,
  listDocuments,
  searchDocuments,
  trashDocument,
} from '../src/documents/index.ts';
import { openStorage } from '../src/storage/database.ts';
import { users } from '../src/storage/schema.ts';
import { findSampleDocx, makePdf } from './support/files.ts';

let workDir: string;
let databasePath: string;
let output: string[];

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'folio-import-export-'));
  databasePath = join(workDir, 'folio.db');
  output = [];
  const storage = openStorage(databasePath);
  for (const id of ['ann', 'ben']) {
    storage.db
      .insert(users)
      .values({ id, email: `${id}@example.com`, createdAt: 0 })
      .run();
  }
  storage.close();
});
afterEach(() => rmSync(workDir, { recursive: true, force: true }));

/** The commands in-process, on this test's database; each run opens and closes it. */
const deps: CommandDeps = {
  openDatabase: () => ({
    config: loadConfig({ DATABASE_PATH: databasePath, MAX_DOCUMENT_BYTES: '1048576' }),
    storage: openStorage(databasePath),
  }),
  stdout: (line) => output.push(line),
  stderr: (line) => output.push(line),
};

function withLibrary<T>(read: (db: ReturnType<typeof openStorage>['db']) => T): T {
  const storage = openStorage(databasePath);
  try {
    return read(storage.db);
  } finally {
    storage.close();
  }
}

function snapshot(userId: string) {
  return withLibrary((db) =>
    listDocuments(db, userId, { limit: 200 })
      .documents.map((entry) => {
        const document = findDocument(db, userId, entry.id);
        if (!document) throw new Error(`listed document ${entry.id} cannot be read`);
        const { id: _id, version: _version, ...rest } = document;
        return rest;
      })
      .sort((a, b) => a.title.localeCompare(b.title)),
  );
}

const unicodeTitle = 'Crème brûlée 東京 🍮';
const unicodeBody = '---\nnot: front matter of ours\n---\nCaramélisé à la 東京タワー 🔥\n';

function seedAnn() {
  withLibrary((db) => {
    const write = (title: string, body: string, folder: string, tags: string[], now: number) =>
      createDocument(db, 'ann', { title, body, folder, tags }, { now, maxBytes: 1 << 20 });
    write('Plan', '# Plan\n\nsteps\n', 'projects/2026', ['work', 'Q1'], 1_700_000_000_000);
    write('Plan', 'a second document with the same title', 'projects/2026', [], 1_700_000_100_000);
    write(unicodeTitle, unicodeBody, 'recettes/desserts', ['sucré'], 1_700_000_200_000);
    write('Slash / and: colon?', 'odd title', '', [], 1_700_000_300_000);
    const gone = write('Binned', 'in the trash', '', [], 1_700_000_400_000);
    trashDocument(db, 'ann', gone.id, { now: 1_700_000_500_000, retentionDays: 30 });
  });
}

describe('folio import', () => {
  it('converts Markdown, text, HTML, PDF and DOCX, keeping folders and reporting skips', async () => {
    const root = join(workDir, 'in');
    mkdirSync(join(root, 'web'), { recursive: true });
    mkdirSync(join(root, 'office', 'reports'), { recursive: true });
    writeFileSync(join(root, 'notes.md'), '---\ntags: [home]\n---\n# Shopping\n- milk\n');
    writeFileSync(join(root, 'todo.txt'), 'call the bank\n');
    writeFileSync(
      join(root, 'web', 'page.html'),
      '<html><head><title>Café page</title><script>evil()</script></head>' +
        '<body><h1>Welcome</h1><p>Some <b>bold</b> text</p></body></html>',
    );
    writeFileSync(
      join(root, 'office', 'reports', 'summary.pdf'),
      makePdf('Quarterly summary text'),
    );
    copyFileSync(findSampleDocx(), join(root, 'office', 'letter.docx'));
    writeFileSync(join(root, 'office', 'broken.pdf'), 'not a pdf at all');
    writeFileSync(join(root, 'office', 'broken.docx'), 'not a zip');
    writeFileSync(join(root, 'image.png'), new Uint8Array([0x89, 0x50]));

    await runImport(['--user', 'ann@example.com', root], deps);

    expect(output.at(-1)).toContain('imported 5, skipped 2, ignored 1');
    expect(output).toContain('skipped office/broken.pdf: not a readable PDF file');
    expect(output).toContain('skipped office/broken.docx: not a readable DOCX file');
    const byTitle = Object.fromEntries(snapshot('ann').map((doc) => [doc.title, doc]));
    expect(byTitle.Shopping).toMatchObject({ folder: '', tags: ['home'] });
    expect(byTitle.todo?.body).toBe('call the bank\n');
    expect(byTitle['Café page']).toMatchObject({
      folder: 'web',
      body: '# Welcome\n\nSome **bold** text\n',
    });
    expect(byTitle.summary).toMatchObject({
      folder: 'office/reports',
      body: 'Quarterly summary text\n',
    });
    expect(byTitle.letter).toMatchObject({ folder: 'office', body: 'Walking on imported air\n' });
  });

  it('does not duplicate a folder imported twice', async () => {
    const root = join(workDir, 'in');
    mkdirSync(root);
    writeFileSync(join(root, 'a.md'), '# A\n');
    await runImport(['--user', 'ann@example.com', root], deps);
    writeFileSync(join(root, 'a.md'), '# A\nedited\n');

    await runImport(['--user', 'ann@example.com', root], deps);

    expect(output.at(-1)).toContain('imported 0, skipped 0, ignored 0');
    expect(output.at(-1)).toContain('updated 1, unchanged 0');
    expect(snapshot('ann').map((doc) => doc.body)).toEqual(['# A\nedited\n']);
  });

  it('skips a 10 MB file without storing anything', async () => {
    const root = join(workDir, 'in');
    mkdirSync(root);
    writeFileSync(join(root, 'huge.md'), 'x'.repeat(10 * 1024 * 1024));

    await runImport(['--user', 'ann@example.com', root], deps);

    expect(output[0]).toBe(
      'skipped huge.md: 10485760 bytes is over the 1048576-byte limit (MAX_DOCUMENT_BYTES)',
    );
    expect(snapshot('ann')).toEqual([]);
  });
});

describe('folio export', () => {
  it('writes Markdown with front matter in folders, leaving the trash out', async () => {
    seedAnn();
    const out = join(workDir, 'out');

    await runExport(['--user', 'ann@example.com', out], deps);

    expect(output).toEqual([`exported 4 documents of ann@example.com to ${out}`]);
    const unicode = readFileSync(join(out, 'recettes', 'desserts', `${unicodeTitle}.md`), 'utf8');
    expect(unicode).toStartWith('---\nid: ');
    expect(unicode).toContain(`title: ${unicodeTitle}\n`);
    expect(unicode).toEndWith(`---\n${unicodeBody}`);
    expect(readFileSync(join(out, 'Slash - and- colon-.md'), 'utf8')).toContain('odd title');
  });

  it('refuses a DIR that is not empty', async () => {
    const out = join(workDir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'mine');

    await expect(runExport(['--user', 'ann@example.com', out], deps)).rejects.toThrow(CliError);
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('mine');
  });
});

describe('bun run folio export', () => {
  it('runs from the shell and prints what it wrote', () => {
    seedAnn();
    const out = join(workDir, 'shell-out');
    const cli = join(import.meta.dir, '..', 'src', 'cli', 'folio.ts');
    const result = Bun.spawnSync(['bun', cli, 'export', '--user', 'ann@example.com', out], {
      env: { ...process.env, DATABASE_PATH: databasePath, LOG_LEVEL: 'silent' },
    });

    expect(result.stderr.toString()).toBe('');
    expect(result.stdout.toString()).toBe(`exported 4 documents of ann@example.com to ${out}\n`);
    expect(result.exitCode).toBe(0);
  });
});

describe('export then import', () => {
  it('reproduces the library in an empty account, Unicode included', async () => {
    seedAnn();
    const out = join(workDir, 'out');
    await runExport(['--user', 'ann@example.com', out], deps);

    await runImport(['--user', 'ben@example.com', out], deps);

    expect(output.at(-1)).toContain('imported 4, skipped 0');
    expect(snapshot('ben')).toEqual(snapshot('ann'));
    const hits = withLibrary((db) => searchDocuments(db, 'ben', '東京タワー caramelise'));
    expect(hits.map((hit) => hit.title)).toEqual([unicodeTitle]);
  });

  it('updates instead of duplicating when the same export is imported again', async () => {
    seedAnn();
    const out = join(workDir, 'out');
    await runExport(['--user', 'ann@example.com', out], deps);
    await runImport(['--user', 'ben@example.com', out], deps);
    await runImport(['--user', 'ann@example.com', out], deps);
    await runImport(['--user', 'ben@example.com', out], deps);

    expect(output.at(-2)).toContain('imported 0, skipped 0, ignored 0');
    expect(output.at(-2)).toContain('unchanged 4');
    expect(output.at(-1)).toContain('imported 0, skipped 0, ignored 0');
    expect(snapshot('ben')).toHaveLength(4);
    expect(snapshot('ann')).toHaveLength(4);
  });
});
