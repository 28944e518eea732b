import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DocumentError,
  type ImportInput,
  type ImportOutcome,
  importDocument,
  resolveDocumentSettings,
} from '../documents/index.ts';
import { findUserByEmail } from '../login/accounts.ts';
import { CliError, type CommandDeps } from './command.ts';
import { convertFile, importedExtensions, isBinaryFormat } from './convert.ts';
import { readDocumentTitle } from './document-title.ts';
import { readFrontMatter } from './front-matter.ts';

export const importUsage =
  'folio import --user EMAIL DIR   (Markdown, text, HTML, PDF and DOCX files under DIR)';

// PDF and DOCX files hold images and layout besides their text.
const MAX_BINARY_FILE_BYTES = 64 * 1024 * 1024;

type Found = { path: string };
type Skipped = { path: string; reason: string };
type Walk = { found: Found[]; skipped: Skipped[]; ignored: number };

/**
 * `folio import --user EMAIL DIR`: stores every supported file under DIR, walked recursively
 * and following symbolic links once, as that user's documents, in folders named after the
 * file's folder below DIR. Importing again updates instead of duplicating: a Folio export is
 * matched by the id in its front matter, other files by their path. Files that cannot be
 * imported are skipped with a reason; the rest still go in.
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
    const settings = resolveDocumentSettings(config);

    const walk: Walk = { found: [], skipped: [], ignored: 0 };
    await walkFolder(root, new Set([await realpath(root)]), walk, settings.maxDocumentBytes);

    const outcomes: Record<ImportOutcome, number> = {
      created: 0,
      updated: 0,
      unchanged: 0,
      in_trash: 0,
    };
    for (const file of walk.found) {
      const read = await readImportFile(root, file.path);
      if (typeof read === 'string') {
        walk.skipped.push({ path: file.path, reason: read });
        continue;
      }
      try {
        const options = {
          // A changed document is updated now; a new one keeps its export's times.
          now: Date.now(),
          maxBytes: settings.maxDocumentBytes,
          actor: 'cli',
          limits: settings,
        };
        const { outcome } = importDocument(storage.db, user.id, read, options);
        outcomes[outcome] += 1;
        if (outcome === 'in_trash') {
          walk.skipped.push({ path: file.path, reason: 'its document is in the trash' });
        }
      } catch (error) {
        if (!(error instanceof DocumentError)) throw error;
        walk.skipped.push({ path: file.path, reason: error.message });
      }
    }

    for (const { path, reason } of walk.skipped) {
      deps.stdout(`skipped ${relative(root, path) || path}: ${reason}`);
    }
    deps.stdout(
      `imported ${outcomes.created}, skipped ${walk.skipped.length}, ignored ${walk.ignored} ` +
        `(hidden, or not .md, .txt, .html, .pdf or .docx), updated ${outcomes.updated}, ` +
        `unchanged ${outcomes.unchanged} for ${user.email}`,
    );
  } finally {
    storage.close();
  }
}

type ImportFile = ImportInput;

async function readImportFile(root: string, path: string): Promise<ImportFile | string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return `unreadable (${describe(error)})`;
  }
  const converted = await convertFile(path, bytes);
  if (typeof converted === 'string') return converted;

  const relativePath = relative(root, path).split(sep).join('/');
  const folder = dirname(relativePath) === '.' ? '' : dirname(relativePath);
  const parsed = converted.markdown ? readFrontMatter(converted.text) : { body: converted.text };
  const titleSource = converted.markdown ? `${basename(path, extname(path))}.md` : path;
  const title =
    ('title' in parsed && parsed.title?.trim()) ||
    converted.htmlTitle ||
    readDocumentTitle(titleSource, parsed.body);

  const folio = 'folio' in parsed ? parsed.folio : undefined;
  if (folio) {
    return {
      title,
      body: parsed.body,
      folder,
      tags: folio.tags,
      originId: folio.id,
      preferredId: folio.id,
      createdAt: readTime(folio.created),
      updatedAt: readTime(folio.updated),
    };
  }
  const tags = 'tags' in parsed ? (parsed.tags ?? []) : [];
  return { title, body: parsed.body, folder, tags, originId: `path:${relativePath}` };
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
    const fileLimit = isBinaryFormat(name) ? MAX_BINARY_FILE_BYTES : maxBytes;
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
    } else if (info.size > fileLimit) {
      const setting = fileLimit === maxBytes ? ' (MAX_DOCUMENT_BYTES)' : '';
      const reason = `${info.size} bytes is over the ${fileLimit}-byte limit${setting}`;
      walk.skipped.push({ path, reason });
    } else {
      walk.found.push({ path });
    }
  }
}

function readTime(value: string): number | undefined {
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

function describe(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
}
