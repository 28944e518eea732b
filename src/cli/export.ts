import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findDocument, listDocuments } from '../documents/index.ts';
import { findUserByEmail } from '../login/accounts.ts';
import { CliError, type CommandDeps } from './command.ts';
import { writeFrontMatter } from './front-matter.ts';

export const exportUsage = 'folio export --user EMAIL DIR   (every document as Markdown in DIR)';

/**
 * `folio export --user EMAIL DIR`: writes each of the user's documents (not the trash) as
 * `DIR/<folder>/<title>.md` with front matter holding its id, title, folder, tags and
 * timestamps, so `folio import` of DIR reproduces the library, and re-importing it updates the
 * same documents. DIR must be new or empty, so nothing is ever overwritten.
 */
export async function runExport(args: string[], deps: CommandDeps): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { user: { type: 'string' } },
  });
  if (!values.user) throw new CliError(`export: --user EMAIL is required\nusage: ${exportUsage}`);
  if (positionals.length !== 1 || !positionals[0]) {
    throw new CliError(`export: expected exactly one DIR argument\nusage: ${exportUsage}`);
  }
  const root = positionals[0];
  const existing = await readdir(root).catch(() => undefined);
  if (existing && existing.length > 0) {
    throw new CliError(`export: DIR "${root}" is not empty; choose a new or empty folder`);
  }

  const { storage } = deps.openDatabase();
  try {
    const user = findUserByEmail(storage.db, values.user);
    if (!user) throw new CliError(`export: --user "${values.user}" names no account`);

    const taken = new Set<string>();
    let written = 0;
    let cursor: string | undefined;
    do {
      const page = listDocuments(storage.db, user.id, { cursor, limit: 200 });
      for (const entry of page.documents) {
        const document = findDocument(storage.db, user.id, entry.id);
        if (!document) continue;

        const folder = join(root, ...document.folder.split('/').filter(Boolean));
        const name = chooseFileName(document.title, document.id, document.folder, taken);
        await mkdir(folder, { recursive: true });
        const fields = {
          id: document.id,
          title: document.title,
          folder: document.folder,
          tags: document.tags,
          created: new Date(document.createdAt).toISOString(),
          updated: new Date(document.updatedAt).toISOString(),
        };
        await writeFile(join(folder, name), writeFrontMatter(fields, document.body));
        written += 1;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    deps.stdout(`exported ${written} documents of ${user.email} to ${root}`);
  } finally {
    storage.close();
  }
}

/**
 * A file name from the title that every common file system accepts; two titles that would
 * collide (file systems may ignore case) get the document id appended.
 */
export function chooseFileName(
  title: string,
  id: string,
  folder: string,
  taken: Set<string>,
): string {
  const stem =
    title
      .replace(/[/\\:*?"<>|\p{Cc}]/gu, '-')
      .replace(/^[.\s]+|[.\s]+$/g, '')
      .slice(0, 100) || 'untitled';
  let name = `${stem}.md`;
  if (taken.has(`${folder}/${name}`.toLowerCase())) name = `${stem} (${id}).md`;
  taken.add(`${folder}/${name}`.toLowerCase());
  return name;
}
