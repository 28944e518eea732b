import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * Real text for the bench: Debian's English manual pages (what `zcat` shows, with the roff
 * markup stripped), or else the Markdown files under node_modules. Repeated with a copy number
 * in the title when the library must hold more documents than there are pages.
 */

export type CorpusDocument = { title: string; body: string };

const MAN_ROOT = '/usr/share/man';
// Notes and manuals run to a few kilobytes; the longest pages (bash: 350 kB) would dominate.
const MAX_BODY_CHARS = 12_000;

export function loadCorpus(count: number): CorpusDocument[] {
  const pages = readManualPages(count);
  const source = pages.length > 0 ? pages : readMarkdownFiles(join(import.meta.dir, '..'), count);
  if (source.length === 0) throw new Error('no manual pages and no Markdown files to use');

  const documents: CorpusDocument[] = [];
  for (let index = 0; index < count; index++) {
    const page = source[index % source.length] as CorpusDocument;
    const copy = Math.floor(index / source.length);
    documents.push(copy === 0 ? page : { title: `${page.title} (copy ${copy})`, body: page.body });
  }
  return documents;
}

function readManualPages(limit: number): CorpusDocument[] {
  const pages: CorpusDocument[] = [];
  for (const section of ['1', '2', '3', '4', '5', '6', '7', '8']) {
    const folder = join(MAN_ROOT, `man${section}`);
    let names: string[];
    try {
      names = readdirSync(folder)
        .filter((name) => name.endsWith('.gz'))
        .sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const page = readManualPage(join(folder, name), name.replace(/\.gz$/, ''));
      if (page) pages.push(page);
      if (pages.length >= limit) return pages;
    }
  }
  return pages;
}

function readManualPage(path: string, fallbackTitle: string): CorpusDocument | undefined {
  let roff: string;
  try {
    roff = gunzipSync(readFileSync(path)).toString('utf8');
  } catch {
    return undefined;
  }
  if (roff.startsWith('.so ')) return undefined;

  const body = stripRoff(roff).slice(0, MAX_BODY_CHARS).trim();
  if (body.length < 200) return undefined;
  const summary = /^NAME\n+(.+)$/m.exec(body)?.[1]?.trim();
  return { title: (summary ?? fallbackTitle).slice(0, 200), body };
}

function stripRoff(roff: string): string {
  const lines: string[] = [];
  for (const line of roff.split('\n')) {
    if (line.startsWith('.\\"') || line.startsWith('\'\\"')) continue;
    const macro = /^\.(\w+)\s*(.*)$/.exec(line);
    if (macro) {
      const [, name = '', rest = ''] = macro;
      if (name === 'SH' || name === 'SS') lines.push('', unquote(rest).toUpperCase());
      else if (
        ['B', 'I', 'BR', 'IR', 'RB', 'RI', 'BI', 'IB', 'IP', 'TP', 'Nm', 'Nd'].includes(name)
      )
        lines.push(unquote(rest));
      else if (name === 'PP' || name === 'LP' || name === 'P' || name === 'Pp') lines.push('');
      continue;
    }
    lines.push(line);
  }
  return lines
    .join('\n')
    .replace(/\\f[BIRPC(]\w?/g, '')
    .replace(/\\\((em|en|hy)/g, '-')
    .replace(/\\[-e&|^]/g, (sequence) =>
      sequence === '\\-' ? '-' : sequence === '\\e' ? '\\' : '',
    )
    .replace(/\\\*?\(?\w\w/g, '')
    .replace(/\n{3,}/g, '\n\n');
}

function unquote(text: string): string {
  return text.replace(/"/g, '').trim();
}

function readMarkdownFiles(root: string, limit: number): CorpusDocument[] {
  const documents: CorpusDocument[] = [];
  const glob = new Bun.Glob('node_modules/**/*.md');
  for (const path of glob.scanSync({ cwd: root })) {
    const body = readFileSync(join(root, path), 'utf8').slice(0, MAX_BODY_CHARS).trim();
    if (body.length < 200) continue;
    const heading = /^#\s+(.+)$/m.exec(body)?.[1]?.trim();
    documents.push({ title: (heading ?? path).slice(0, 200), body });
    if (documents.length >= limit) break;
  }
  return documents;
}
