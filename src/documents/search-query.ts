import { splitQueryText } from './search-text.ts';

/**
 * Turns whatever a person or model typed into a safe FTS5 MATCH expression. Every term becomes
 * an FTS5 string, so no input can reach FTS5's own syntax: `"quoted words"` stay a phrase, a
 * trailing `*` makes a prefix, unbalanced quotes and brackets are ordinary punctuation, and the
 * connectives AND, OR and NOT are dropped (terms are combined by the caller). Input with no
 * letter or digit yields no terms.
 */

export const MAX_QUERY_TERMS = 32;

const hasWordCharacter = /[\p{L}\p{N}]/u;
const prefixMark = /[\p{L}\p{N}]\*+[^\p{L}\p{N}]*$/u;
const connectives = new Set(['AND', 'OR', 'NOT']);

export function parseSearchTerms(input: string): string[] {
  const terms: string[] = [];

  for (const match of input.matchAll(/"([^"]*)"|(\S+)/g)) {
    const phrase = match[1];
    const word = match[2];

    if (phrase !== undefined) {
      if (hasWordCharacter.test(phrase)) terms.push(quote(phrase));
    } else if (word !== undefined && !connectives.has(word)) {
      const isPrefix = prefixMark.test(word);
      const text = word.replaceAll('"', ' ').replaceAll('*', ' ');
      if (hasWordCharacter.test(text)) terms.push(isPrefix ? `${quote(text)}*` : quote(text));
    }
    if (terms.length === MAX_QUERY_TERMS) break;
  }
  return terms;
}

/** Every term must match; bm25 ranks the rest. */
export function joinAllTerms(terms: readonly string[]): string {
  return terms.join(' AND ');
}

/** Any term may match: the fallback when no document holds them all. */
export function joinAnyTerm(terms: readonly string[]): string {
  return terms.join(' OR ');
}

// Inside an FTS5 string only the double quote is special; it is escaped by doubling. CJK text
// is split as the index splits it, so a CJK word becomes a phrase of its characters.
function quote(text: string): string {
  return `"${splitQueryText(text.trim()).replaceAll('"', '""')}"`;
}
