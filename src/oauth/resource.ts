/**
 * RFC 8707 resource indicators. Folio protects exactly one resource, its MCP URL; `$U` and
 * `$U/` name the same audience (clients differ in how they print the configured URL).
 */
export function isOurResource(requested: string, mcpUrl: string): boolean {
  return requested === mcpUrl || requested === `${mcpUrl}/`;
}
