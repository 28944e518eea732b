import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser } from './support/browser.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import { connectWithOAuth, readJson, TestOAuthProvider } from './support/sdk-client.ts';

const root = join(import.meta.dir, '..');
const account = { email: 'reader@example.com', password: 'a long reader password' };

/** Copies node_modules/<package>/README.md into a tree of its own: real Markdown, real size. */
function collectReadmes(target: string): number {
  let count = 0;
  const modules = join(root, 'node_modules');
  const packages = readdirSync(modules).flatMap((name) =>
    name.startsWith('@') ? readdirSync(join(modules, name)).map((sub) => `${name}/${sub}`) : [name],
  );
  for (const name of packages) {
    const readme = join(modules, name, 'README.md');
    if (!existsSync(readme)) continue;
    mkdirSync(join(target, name), { recursive: true });
    copyFileSync(readme, join(target, name, 'README.md'));
    count += 1;
  }
  return count;
}

function runCli(args: string[], databasePath: string, stdin = '') {
  const result = Bun.spawnSync(['bun', join(root, 'src/cli/folio.ts'), ...args], {
    env: { ...process.env, DATABASE_PATH: databasePath },
    stdin: Buffer.from(stdin),
  });
  return { code: result.exitCode, out: result.stdout.toString(), err: result.stderr.toString() };
}

/** A run of plain words from the middle of a file: a phrase only that file is likely to hold. */
function pickPhrase(text: string): string {
  const lines = text.split('\n').filter((line) => /^[A-Za-z][A-Za-z ,.]{50,}$/.test(line.trim()));
  const line = lines[Math.floor(lines.length / 2)] ?? '';
  return line.replace(/[,.]/g, '').trim().split(/\s+/).slice(0, 6).join(' ');
}

describe('real input: the READMEs under node_modules', () => {
  let folio: RunningFolio;
  const folder = mkdtempSync(join(tmpdir(), 'folio-readmes-'));
  beforeAll(async () => {
    folio = await startFolio();
  });
  afterAll(async () => {
    await folio.close();
    rmSync(folder, { recursive: true, force: true });
  });

  // Two CLI processes and a few hundred READMEs: past the 5 s default on a busy machine.
  it('imports them from the shell, finds one by a phrase and fetches it back intact', async () => {
    const copied = collectReadmes(folder);
    expect(copied).toBeGreaterThan(50);

    const added = runCli(
      ['users', 'add', account.email],
      folio.databasePath,
      `${account.password}\n`,
    );
    expect(added.code).toBe(0);
    const imported = runCli(['import', '--user', account.email, folder], folio.databasePath);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain(`${copied}`);

    const client = await connectWithOAuth(
      folio.mcpUrl,
      new TestOAuthProvider(new Browser(folio.origin), account),
    );
    const listed = (await client.callTool({ name: 'list_documents', arguments: { limit: 200 } }))
      .structuredContent as { documents: unknown[]; next_cursor?: string | null };
    expect(listed.documents.length).toBeGreaterThan(0);

    const target = join(folder, 'rate-limiter-flexible', 'README.md');
    const original = readFileSync(target, 'utf8');
    const phrase = pickPhrase(original);
    expect(phrase.split(' ').length).toBe(6);

    const found = readJson(
      await client.callTool({ name: 'search', arguments: { query: `"${phrase}"` } }),
    ) as { results: { id: string }[] };
    expect(found.results.length).toBeGreaterThan(0);
    const texts = await Promise.all(
      found.results.slice(0, 3).map(async ({ id }) => {
        const fetched = readJson(await client.callTool({ name: 'fetch', arguments: { id } }));
        return fetched.text;
      }),
    );
    expect(texts[0]).toBe(original);
    await client.close();
  }, 20_000);
});
