import { DocumentError } from './document-error.ts';

/**
 * Reading a long document in pieces, by character range or by Markdown heading, so each tool
 * result stays well under what clients accept. Offsets and lengths count UTF-16 code units
 * (JavaScript string indices); a piece never ends inside a surrogate pair.
 */

export const DEFAULT_PIECE_LENGTH = 20_000;
export const MAX_PIECE_LENGTH = 100_000;

export type Heading = { level: number; text: string; offset: number };

export type Piece = {
  text: string;
  offset: number;
  /** Where the next piece starts, or null when this one reaches the end. */
  nextOffset: number | null;
  totalLength: number;
  /** The heading whose section was asked for, when one was. */
  heading?: Heading;
};

/** ATX headings (`## Title`) outside code fences, in order. */
export function listHeadings(body: string): Heading[] {
  const headings: Heading[] = [];
  let fence: string | undefined;
  let offset = 0;
  for (const line of body.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker) {
      if (!fence) fence = marker;
      else if (marker.startsWith(fence)) fence = undefined;
    } else if (!fence) {
      const match = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*\r?$/.exec(line);
      if (match?.[1] && match[2]) {
        headings.push({ level: match[1].length, text: match[2].trim(), offset });
      }
    }
    offset += line.length + 1;
  }
  return headings;
}

/** A slice from `offset` of at most `length` code units. */
export function readRange(body: string, offset = 0, length = DEFAULT_PIECE_LENGTH): Piece {
  checkPieceLength(length);
  if (!Number.isInteger(offset) || offset < 0) {
    throw new DocumentError('invalid', `offset must be a whole number from 0, got ${offset}`);
  }
  if (offset > body.length) {
    throw new DocumentError(
      'invalid',
      `offset ${offset} is past the end; the document is ${body.length} characters long`,
    );
  }
  return slicePiece(body, offset, Math.min(body.length, offset + length));
}

/**
 * The section under the heading whose text equals `heading` (case and surrounding spaces
 * ignored), up to the next heading of the same or a higher level, at most `length` long.
 */
export function readSection(body: string, heading: string, length = DEFAULT_PIECE_LENGTH): Piece {
  checkPieceLength(length);
  const headings = listHeadings(body);
  // "## Packing" and "Packing" name the same heading: assistants often copy the marker too.
  const wanted = heading
    .trim()
    .replace(/^#{1,6}\s+/, '')
    .toLowerCase();
  const matches = headings.filter((entry) => entry.text.toLowerCase() === wanted);
  if (matches.length !== 1) {
    const names = headings.slice(0, 50).map((entry) => `"${entry.text}"`);
    throw new DocumentError(
      matches.length === 0 ? 'not_found' : 'not_unique',
      `heading matches ${matches.length} headings; it must match exactly one. ` +
        (names.length > 0 ? `The headings are: ${names.join(', ')}` : 'The document has none'),
    );
  }
  const found = matches[0] as Heading;
  const following = headings.find(
    (entry) => entry.offset > found.offset && entry.level <= found.level,
  );
  const sectionEnd = following?.offset ?? body.length;
  const piece = slicePiece(body, found.offset, Math.min(sectionEnd, found.offset + length));
  return { ...piece, heading: found };
}

function slicePiece(body: string, start: number, wantedEnd: number): Piece {
  let end = wantedEnd;
  // Never split a surrogate pair (emoji, rare CJK): back off by one code unit.
  if (end < body.length && end > start && isHighSurrogate(body.charCodeAt(end - 1))) end -= 1;
  return {
    text: body.slice(start, end),
    offset: start,
    nextOffset: end < body.length ? end : null,
    totalLength: body.length,
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function checkPieceLength(length: number): void {
  if (!Number.isInteger(length) || length < 1 || length > MAX_PIECE_LENGTH) {
    throw new DocumentError(
      'invalid',
      `length must be a whole number from 1 to ${MAX_PIECE_LENGTH}, got ${length}`,
    );
  }
}
