/**
 * SQLite's unicode61 tokenizer splits words on spaces and punctuation, which Chinese and
 * Japanese do not use: a whole CJK sentence would be one token, findable only by its start.
 * The index therefore reads CJK text with a zero-width space (a separator to unicode61)
 * between characters, and queries are split the same way, so a word matches as a phrase of
 * characters anywhere in the text.
 */

// TODO(#6): documents stored before migration 0005 are indexed with CJK text unsplit until
// their next edit, so a CJK word inside them is found only as a word prefix; a one-off
// reindex at start-up would fix it for libraries that held CJK text before the upgrade.
export const TOKEN_BREAK = '\u200b';

// The prolonged sound mark (ー) and iteration mark (々) are Script=Common but sit inside words.
const ideographic =
  '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u3005\\u30fc\\uff70';
const hasIdeograph = new RegExp(`[${ideographic}]`, 'u');
const betweenIdeographs = new RegExp(`([${ideographic}])(?=[${ideographic}])`, 'gu');

/** The text as the index should read it, or null when that is the text itself. */
export function prepareSearchText(text: string): string | null {
  if (!hasIdeograph.test(text)) return null;
  return text.replace(betweenIdeographs, `$1${TOKEN_BREAK}`);
}

/** Splits query words the way prepareSearchText splits stored text. */
export function splitQueryText(text: string): string {
  return prepareSearchText(text) ?? text;
}

/** Snippets come from the index's text; the reader should see the original characters. */
export function removeTokenBreaks(text: string): string {
  return text.replaceAll(TOKEN_BREAK, '');
}
