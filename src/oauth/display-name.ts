/**
 * A client's name as the consent page shows it. Format and control characters are removed: a
 * right-to-left override could make "Evil" read as another application's name.
 */
export function cleanDisplayName(value: string, maxLength = 200): string | undefined {
  const cleaned = value
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(0, maxLength);
  return cleaned || undefined;
}
