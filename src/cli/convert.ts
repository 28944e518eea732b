import { extname } from 'node:path';

/**
 * Turns one file into Markdown or plain text for import: Markdown and text as they are (UTF-8
 * only), HTML through turndown, DOCX through mammoth then turndown, PDF through PDF.js (unpdf).
 * A file that cannot be converted yields a reason instead of text. The converters are loaded
 * on first use: a folder of Markdown should not pay for PDF.js and mammoth at start-up.
 */

export type Converted = { text: string; markdown: boolean; htmlTitle?: string };

export const importedExtensions = new Set([
  '.md',
  '.markdown',
  '.txt',
  '.html',
  '.htm',
  '.pdf',
  '.docx',
]);

/** Binary formats carry markup and images: their files may be larger than the text they hold. */
export function isBinaryFormat(path: string): boolean {
  const extension = extname(path).toLowerCase();
  return extension === '.pdf' || extension === '.docx';
}

export async function convertFile(path: string, bytes: Uint8Array): Promise<Converted | string> {
  const extension = extname(path).toLowerCase();
  if (extension === '.pdf') return convertPdf(bytes);
  if (extension === '.docx') return convertDocx(bytes);

  const text = decodeUtf8(bytes);
  if (text === undefined) return 'not UTF-8 text';
  if (extension === '.html' || extension === '.htm') {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return { text: await convertHtml(text), markdown: true, htmlTitle: title || undefined };
  }
  return { text, markdown: extension !== '.txt' };
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    // `fatal` refuses binary files that merely carry a .txt name; the BOM is not text.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

async function convertHtml(html: string): Promise<string> {
  const { default: TurndownService } = await import('turndown');
  const turndown = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
  });
  // Scripts, styles and the head are not the page's text.
  turndown.remove(['script', 'style', 'head', 'title', 'noscript', 'template']);
  return `${turndown.turndown(html).trim()}\n`;
}

async function convertDocx(bytes: Uint8Array): Promise<Converted | string> {
  const { default: mammoth } = await import('mammoth');
  try {
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
    return { text: await convertHtml(result.value), markdown: true };
  } catch {
    return 'not a readable DOCX file';
  }
}

async function convertPdf(bytes: Uint8Array): Promise<Converted | string> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  try {
    // Verbosity 0: PDF.js would otherwise print warnings about damaged files on stdout.
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    const { text } = await extractText(pdf, { mergePages: false });
    const pages = text.map((page) => page.trim()).filter(Boolean);
    if (pages.length === 0) return 'PDF holds no extractable text (scanned images need OCR)';
    return { text: `${pages.join('\n\n')}\n`, markdown: false };
  } catch {
    return 'not a readable PDF file';
  }
}
