import { basename, extname } from 'node:path';
import { MAX_TITLE_LENGTH } from '../documents/document-rules.ts';

/**
 * The title an imported file gets: for Markdown, its first level-one ATX heading (`# Title`)
 * outside code fences; otherwise, or when there is none, the file name without extension.
 */
export function readDocumentTitle(path: string, text: string): string {
  const extension = extname(path);
  const fallback = basename(path, extension);
  if (extension.toLowerCase() !== '.md') return fallback;

  let fence: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker) {
      if (!fence) fence = marker;
      else if (marker.startsWith(fence)) fence = undefined;
      continue;
    }
    if (fence) continue;

    // CommonMark: up to three spaces, `#`, then a space or the end; a closing run of `#` is
    // not part of the heading.
    const heading = /^ {0,3}#(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    const title = heading?.[1] ? plainHeading(heading[1]) : '';
    if (title) return title;
  }
  return fallback;
}

/**
 * READMEs decorate their first heading with badges: `# Name [![npm](img)](link)`. The title
 * keeps the words: images go, links keep their text, and a long heading is shortened.
 */
function plainHeading(raw: string): string {
  const text = raw
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= MAX_TITLE_LENGTH) return text;

  const cut = text.slice(0, MAX_TITLE_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > MAX_TITLE_LENGTH / 2 ? cut.slice(0, space) : cut}…`;
}
