/**
 * Folio's scopes. `offline_access` is advertised in authorization server metadata only, for
 * clients that ask for it verbatim; refresh tokens are issued whenever the client may refresh.
 */

export const documentScopes = ['documents:read', 'documents:write'] as const;
export type DocumentScope = (typeof documentScopes)[number];

export const defaultScope = documentScopes.join(' ');

export function isDocumentScope(value: string): value is DocumentScope {
  return (documentScopes as readonly string[]).includes(value);
}

/**
 * The scope to grant: the known scopes asked for, limited to what the client registered for.
 * Unknown scopes (`openid`, `offline_access`, ...) are ignored rather than refused (RFC 6749
 * §3.3 lets the server grant less); asking for nothing Folio knows grants the default.
 */
export function resolveScope(requested: string | undefined, registered: string | null): string {
  const allowed = parseScope(registered ?? '').filter(isDocumentScope);
  const ceiling = allowed.length > 0 ? allowed : [...documentScopes];

  const asked = parseScope(requested ?? '').filter(isDocumentScope);
  const granted = ceiling.filter((scope) => asked.includes(scope));
  return (granted.length > 0 ? granted : ceiling).join(' ');
}

export function parseScope(scope: string): string[] {
  return [...new Set(scope.split(' ').filter(Boolean))];
}

export function coversScope(held: string, wanted: string): boolean {
  const heldScopes = parseScope(held);
  return parseScope(wanted).every((scope) => heldScopes.includes(scope));
}

export function describeScope(scope: DocumentScope): string {
  return scope === 'documents:read'
    ? 'Search and read your documents'
    : 'Create, change and delete your documents';
}
