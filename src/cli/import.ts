import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { createDocument, DocumentError } from '../documents/index.ts';
import { findUserByEmail } from '../login/accounts.ts';
import { CliError, type CommandDeps } from './command.ts';
import { readDocumentTitle } from './document-title.ts';

export const importUsage = 'folio import --user EMAIL DIR   (every .md and .txt file under DIR)';

const importedExtensions = new Set(['.md', '.txt']);

type Found = { path: string };
type Skipped = { path: string; reason: string };
type Walk = { found: Found[]; skipped: Skipped[]; ignored: number };

/**
 * `folio import --user EMAIL DIR`: stores every .md and .txt file under DIR, walked
 * recursively and following symbolic links once, as that user's documents. Files that cannot
 * be imported are skipped with a reason; the rest still go in.
 */
export async function runImport(args: string[], deps: CommandDeps): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { user: { type: 'string' } },
  });
  if (!values.user) throw new CliError(`import: --user EMAIL is required\nusage: ${importUsage}`);
  if (positionals.length !== 1 || !positionals[0]) {
    throw new CliError(`import: expected exactly one DIR argument\nusage: ${importUsage}`);
  }
  const root = positionals[0];
  const rootStat = await stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) throw new CliError(`import: DIR "${root}" is not a folder`);

  const { config, storage } = deps.openDatabase();
  try {
    const user = findUserByEmail(storage.db, values.user);
    if (!user) throw new CliError(`import: --user "${values.user}" names no account`);

    const walk: Walk = { found: [], skipped: [], ignored: 0 };
    await walkFolder(root, new Set([await realpath(root)]), walk, config.maxDocumentBytes);

    // TODO(#6): importing the same folder twice stores every file twice; front matter (id,
    // title, tags) is not read yet, so an export cannot be re-imported in place.
    let imported = 0;
    for (const file of walk.found) {
      const text = await readText(file.path);
      if (typeof text !== 'string') {
        walk.skipped.push({ path: file.path, reason: text.reason });
        continue;
      }
      try {
        const title = readDocumentTitle(file.path, text);
        const options = { maxBytes: config.maxDocumentBytes, now: Date.now() };
        createDocument(storage.db, user.id, { title, body: text }, options);
        imported += 1;
      } catch (error) {
        if (!(error instanceof DocumentError)) throw error;
        walk.skipped.push({ path: file.path, reason: error.message });
      }
    }

    for (const { path, reason } of walk.skipped) {
      deps.stdout(`skipped ${relative(root, path) || path}: ${reason}`);
    }
    deps.stdout(
      `imported ${imported}, skipped ${walk.skipped.length}, ` +
        `ignored ${walk.ignored} (hidden, or not .md or .txt) for ${user.email}`,
    );
  } finally {
    storage.close();
  }
}

/** `seen` holds the real path of every folder entered, so a link back up is walked once. */
async function walkFolder(folder: string, seen: Set<string>, walk: Walk, maxBytes: number) {
  let entries: string[];
  try {
    entries = (await readdir(folder)).sort();
  } catch (error) {
    walk.skipped.push({ path: folder, reason: `folder unreadable (${describe(error)})` });
    return;
  }

  for (const name of entries) {
    const path = join(folder, name);
    // Hidden files and folders (.git, .obsidian, editor swap files) are tooling, not notes.
    if (name.startsWith('.')) {
      walk.ignored += 1;
      continue;
    }
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      walk.skipped.push({ path, reason: 'broken symbolic link or vanished file' });
    } else if (info.isDirectory()) {
      const real = await realpath(path);
      if (seen.has(real)) {
        walk.skipped.push({ path, reason: 'symbolic link to a folder already walked (a loop)' });
        continue;
      }
      seen.add(real);
      await walkFolder(path, seen, walk, maxBytes);
    } else if (!info.isFile() || !importedExtensions.has(extname(name).toLowerCase())) {
      walk.ignored += 1;
    } else if (info.size > maxBytes) {
      const reason = `${info.size} bytes is over the ${maxBytes}-byte limit (MAX_DOCUMENT_BYTES)`;
      walk.skipped.push({ path, reason });
    } else {
      walk.found.push({ path });
    }
  }
}

async function readText(path: string): Promise<string | { reason: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { reason: `unreadable (${describe(error)})` };
  }
  try {
    // `fatal` refuses binary files that merely carry a .txt name; the BOM is not text.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { reason: 'not UTF-8 text' };
  }
}

function describe(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
}
