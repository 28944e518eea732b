import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Real Markdown for search tests: every README, changelog and guide installed under
 * node_modules, cut into one document per section (heading and the text under it), as a
 * person's notes would be. The package path becomes the folder.
 */
export type CorpusDocument = { title: string; body: string; folder: string };

export function collectMarkdownSections(root: string, limitBytes = 512 * 1024): CorpusDocument[] {
  const seen = new Set<string>();
  const documents: CorpusDocument[] = [];
  const walk = (folder: string, depth: number) => {
    if (depth > 12) return;
    let entries: string[];
    try {
      entries = readdirSync(folder).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(folder, name);
      let real: string;
      try {
        real = realpathSync(path);
      } catch {
        continue;
      }
      if (seen.has(real)) continue;
      seen.add(real);
      const info = statSync(real);
      if (info.isDirectory()) walk(path, depth + 1);
      else if (name.toLowerCase().endsWith('.md') && info.size <= limitBytes) {
        const folderPath = relative(root, folder).replaceAll('.bun/', '').replaceAll('\\', '/');
        documents.push(...splitSections(readFileSync(real, 'utf8'), folderPath, name));
      }
    }
  };
  walk(root, 0);
  return documents;
}

function splitSections(text: string, folder: string, fileName: string): CorpusDocument[] {
  const sections: CorpusDocument[] = [];
  let title = fileName.replace(/\.md$/i, '');
  let lines: string[] = [];
  const flush = () => {
    const body = lines.join('\n').trim();
    if (body.length >= 200) sections.push({ title: title.slice(0, 200) || fileName, body, folder });
  };
  let fence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const heading = fence ? null : /^#{1,3}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading?.[1]) {
      flush();
      title = heading[1].replace(/[\p{Cc}]/gu, ' ').trim();
      lines = [];
    }
    lines.push(line);
  }
  flush();
  return sections;
}
