import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads the hottest functions (by self time) out of the Markdown CPU profile that
 * `bun --cpu-prof-md` writes when the profiled server exits.
 */
export function readHotFunctions(folder: string, top: number): string[] {
  const file = readdirSync(folder).find((name) => name.endsWith('.md'));
  if (!file) return [];

  const text = readFileSync(join(folder, file), 'utf8');
  const start = text.indexOf('## Hot Functions');
  const end = text.indexOf('## Call Tree', start);
  if (start < 0) return [];
  return text
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((line) => /^\|\s*[\d.]+%/.test(line))
    .slice(0, top)
    .map((line) => line.replace(/\/work\/main\/|[^|]*node_modules\/\.bun\//g, ''));
}
