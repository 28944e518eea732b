import { parse, stringify } from 'yaml';

/**
 * Front matter: the `---` block of YAML at the top of a Markdown file. Folio writes its own
 * fields (id, title, folder, tags, created, updated) on export and reads them back on import;
 * other tools' front matter (Obsidian, Jekyll) is read for title and tags only.
 */

export type FolioFrontMatter = {
  id: string;
  title: string;
  folder: string;
  tags: string[];
  created: string;
  updated: string;
};

export type ParsedFile = {
  /** Present only when the front matter is Folio's own (it has an id and a title). */
  folio?: FolioFrontMatter;
  title?: string;
  tags?: string[];
  /** The text without Folio's front matter; other front matter is kept as written. */
  body: string;
};

const block = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/;

export function readFrontMatter(text: string): ParsedFile {
  const match = block.exec(text);
  if (!match) return { body: text };

  let data: unknown;
  try {
    data = parse(match[1] ?? '');
  } catch {
    return { body: text };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { body: text };
  const fields = data as Record<string, unknown>;

  const title = typeof fields.title === 'string' ? fields.title : undefined;
  const tags = readTags(fields.tags);
  if (typeof fields.id === 'string' && fields.id !== '' && title !== undefined) {
    const folio: FolioFrontMatter = {
      id: fields.id,
      title,
      folder: typeof fields.folder === 'string' ? fields.folder : '',
      tags: tags ?? [],
      created: readDate(fields.created),
      updated: readDate(fields.updated),
    };
    return { folio, title, tags, body: text.slice(match[0].length) };
  }
  return { title, tags, body: text };
}

export function writeFrontMatter(fields: FolioFrontMatter, body: string): string {
  return `---\n${stringify(fields, { lineWidth: 0 })}---\n${body}`;
}

function readTags(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(/[,\s]+/).filter(Boolean);
  if (!Array.isArray(value)) return undefined;
  return value.filter((tag): tag is string => typeof tag === 'string');
}

// YAML turns an unquoted timestamp into a Date; Folio writes quoted ISO strings.
function readDate(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : '';
}
