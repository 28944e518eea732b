/** The scopes this protected resource understands; the 401 challenge advertises both. */
export const READ_SCOPE = 'documents:read';
export const WRITE_SCOPE = 'documents:write';
export const RESOURCE_SCOPES = [READ_SCOPE, WRITE_SCOPE] as const;

export type DocumentScope = (typeof RESOURCE_SCOPES)[number];

export function hasScope(scopes: readonly string[], scope: DocumentScope): boolean {
  return scopes.includes(scope);
}

/**
 * The scope each tool needs. The /mcp route reads it before a `tools/call` reaches the server,
 * so a token without the scope gets HTTP 403 `insufficient_scope` and can step up (MCP
 * authorization, "Scope challenge handling"). Every registered tool must appear here.
 */
export const toolScopes: Readonly<Record<string, DocumentScope>> = {
  search: READ_SCOPE,
  fetch: READ_SCOPE,
  list_documents: READ_SCOPE,
  create_document: WRITE_SCOPE,
  update_document: WRITE_SCOPE,
  delete_document: WRITE_SCOPE,
  search_documents: READ_SCOPE,
  read_document: READ_SCOPE,
  list_folders: READ_SCOPE,
  document_history: READ_SCOPE,
  list_trash: READ_SCOPE,
  append_to_document: WRITE_SCOPE,
  replace_in_document: WRITE_SCOPE,
  move_document: WRITE_SCOPE,
  restore_version: WRITE_SCOPE,
  restore_document: WRITE_SCOPE,
  purge_document: WRITE_SCOPE,
};
