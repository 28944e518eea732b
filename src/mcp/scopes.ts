/** The scopes this protected resource understands; the 401 challenge advertises both. */
export const READ_SCOPE = 'documents:read';
export const WRITE_SCOPE = 'documents:write';
export const RESOURCE_SCOPES = [READ_SCOPE, WRITE_SCOPE] as const;

export type DocumentScope = (typeof RESOURCE_SCOPES)[number];

export function hasScope(scopes: readonly string[], scope: DocumentScope): boolean {
  return scopes.includes(scope);
}
