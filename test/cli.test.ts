import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDocumentTitle } from '../src/cli/document-title.ts';
import { verifyCredentials } from '../src/login/accounts.ts';
import { openStorage } from '../src/storage/database.ts';
import { documents } from '../src/storage/schema.ts';

const cliPath = join(import.meta.dir, '..', 'src', 'cli', 'folio.ts');
const password = 'correct horse battery';
let workDir: string;
let databasePath: string;

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'folio-cli-'));
  databasePath = join(workDir, 'folio.db');
});

afterEach(() => rmSync(workDir, { recursive: true, force: true }));

async function runFolio(args: string[], stdin = '', env: Record<string, string> = {}) {
  const child = Bun.spawn(['bun', cliPath, ...args], {
    env: { ...process.env, DATABASE_PATH: databasePath, LOG_LEVEL: 'silent', ...env },
    stdin: new Blob([stdin]),
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { stdout, stderr, code };
}

function readTitles(): string[] {
  const storage = openStorage(databasePath);
  try {
    const rows = storage.db.select({ title: documents.title }).from(documents).all();
    return rows.map((row) => row.title).sort();
  } finally {
    storage.close();
  }
}

describe('folio users add', () => {
  it('creates an account whose password, read from stdin, verifies', async () => {
    const result = await runFolio(['users', 'add', 'Ann@Example.com'], `${password}\nignored\n`);

    expect(result.code).toBe(0);
    const id = /^created account ann@example\.com \(id ([0-9a-f-]{36})\)$/.exec(
      result.stdout.trim(),
    )?.[1];
    expect(id).toBeString();

    const storage = openStorage(databasePath);
    try {
      const account = await verifyCredentials(storage.db, 'ann@example.com', password);
      expect(account).toEqual({ id: id as string, email: 'ann@example.com' });
      expect(await verifyCredentials(storage.db, 'ann@example.com', 'ignored')).toBeNull();
    } finally {
      storage.close();
    }
  });

  it('does not print the password anywhere', async () => {
    const result = await runFolio(['users', 'add', 'ann@example.com'], `${password}\n`);

    expect(result.stdout + result.stderr).not.toContain(password);
  });

  it('refuses a duplicate email with exit code 1', async () => {
    await runFolio(['users', 'add', 'ann@example.com'], `${password}\n`);
    const result = await runFolio(['users', 'add', 'ANN@example.com'], `${password}\n`);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('email already belongs to an account');
  });

  it('refuses a short password, naming the field', async () => {
    const result = await runFolio(['users', 'add', 'ann@example.com'], 'short\n');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('password must be 8 to 1024 characters');
  });

  it('refuses empty stdin', async () => {
    const result = await runFolio(['users', 'add', 'ann@example.com'], '');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('password: expected it on the first line of stdin');
  });

  it('refuses a missing EMAIL argument with usage', async () => {
    const result = await runFolio(['users', 'add'], `${password}\n`);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('expected exactly one EMAIL argument');
  });
});

describe('folio import', () => {
  function writeTree(root: string) {
    mkdirSync(join(root, 'notes', 'deep'), { recursive: true });
    writeFileSync(join(root, 'readme.md'), 'Intro line\n# Project Plan\n\nbody\n');
    writeFileSync(join(root, 'notes', 'todo.txt'), 'buy milk\n');
    writeFileSync(
      join(root, 'notes', 'deep', 'design.md'),
      '```sh\n# not a title\n```\n# Design #\n',
    );
    writeFileSync(join(root, 'notes', 'deep', 'untitled.md'), 'no heading here\n');
    writeFileSync(join(root, 'picture.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(join(root, 'binary.txt'), new Uint8Array([0xff, 0xfe, 0x00, 0x01]));
    writeFileSync(join(root, 'huge.txt'), 'x'.repeat(2048));
    symlinkSync('..', join(root, 'notes', 'loop'));
    mkdirSync(join(root, '.git'), { recursive: true });
    writeFileSync(join(root, '.git', 'description.md'), '# not a note\n');
  }

  it('imports every .md and .txt file in nested folders, with their titles', async () => {
    const root = join(workDir, 'docs');
    writeTree(root);
    await runFolio(['users', 'add', 'ann@example.com'], `${password}\n`);

    const result = await runFolio(['import', '--user', 'ann@example.com', root], '', {
      MAX_DOCUMENT_BYTES: '1024',
    });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('imported 4, skipped 3, ignored 2');
    expect(readTitles()).toEqual(['Design', 'Project Plan', 'todo', 'untitled']);
  });

  it('reports each skipped file with its reason', async () => {
    const root = join(workDir, 'docs');
    writeTree(root);
    await runFolio(['users', 'add', 'ann@example.com'], `${password}\n`);

    const result = await runFolio(['import', '--user', 'ann@example.com', root], '', {
      MAX_DOCUMENT_BYTES: '1024',
    });

    expect(result.stdout).toContain('skipped binary.txt: not UTF-8 text');
    expect(result.stdout).toMatch(/skipped huge\.txt: 2048 bytes is over the 1024-byte limit/);
    expect(result.stdout).toContain('skipped notes/loop: symbolic link to a folder already walked');
  });

  it('refuses an unknown user with exit code 1 and imports nothing', async () => {
    const root = join(workDir, 'docs');
    writeTree(root);

    const result = await runFolio(['import', '--user', 'nobody@example.com', root]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--user "nobody@example.com" names no account');
    expect(readTitles()).toEqual([]);
  });

  it('refuses a missing DIR with exit code 1', async () => {
    const result = await runFolio(['import', '--user', 'ann@example.com', join(workDir, 'nope')]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not a folder');
  });

  it('refuses a missing --user with exit code 1', async () => {
    const result = await runFolio(['import', workDir]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--user EMAIL is required');
  });
});

describe('folio', () => {
  it('prints usage for --help and exits 0', async () => {
    const result = await runFolio(['--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('folio users add EMAIL');
    expect(result.stdout).toContain('folio import --user EMAIL DIR');
  });

  it('prints usage for an unknown command and exits 1', async () => {
    const result = await runFolio(['frobnicate']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown command "frobnicate"');
    expect(result.stderr).toContain('usage:');
  });

  it('refuses an unknown option with exit code 1', async () => {
    const result = await runFolio(['import', '--colour', 'red', workDir]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Unknown option '--colour'");
  });
});

describe('readDocumentTitle', () => {
  it('takes the first level-one heading outside code fences', () => {
    const text = '## Sub\n~~~\n# fenced\n~~~\n#   Real title  ##\n# Later\n';
    expect(readDocumentTitle('/a/b/notes.md', text)).toBe('Real title');
  });

  it('falls back to the file name without extension', () => {
    expect(readDocumentTitle('/a/b/my notes.md', '#hashtag is not a heading\n')).toBe('my notes');
    expect(readDocumentTitle('/a/b/list.txt', '# looks like a heading\n')).toBe('list');
  });
});
