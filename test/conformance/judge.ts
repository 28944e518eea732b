import type { Check } from './suite.ts';

/**
 * Why a scenario counts as failed: the suite's own FAILURE checks, plus the passes it grants for
 * the wrong reason (CLIENTS.md, "Testing with real clients, headlessly"). An empty list means the
 * scenario passed.
 */
export function judgeScenario(checks: Check[] | undefined): string[] {
  if (!checks || checks.length === 0) return ['the scenario did not run'];

  const reasons: string[] = [];
  for (const check of checks) {
    if (check.status === 'FAILURE') reasons.push(`${check.id}: ${check.errorMessage ?? 'failed'}`);
    if (check.status !== 'SUCCESS') continue;

    const missingTool = findToolNotFound(check.details?.result);
    if (missingTool) reasons.push(`${check.id}: passed only on the error "${missingTool}"`);

    // Any 4xx satisfies the suite, so a 401 for a missing token would pass. MCP Streamable
    // HTTP: an invalid Origin MUST get 403, and the proxy sends a valid token.
    const status = check.details?.statusCode;
    if (check.id === 'localhost-host-rebinding-rejected' && status !== 403) {
      reasons.push(`${check.id}: refused with ${String(status)}, not 403 for the Origin`);
    }
  }
  if (!checks.some((check) => check.status === 'SUCCESS')) reasons.push('no check succeeded');
  return reasons;
}

/**
 * tools-call-simple-text and tools-call-error accept any text content, and the SDK answers a
 * call to an unknown tool with `isError: true` and the text "Tool <name> not found".
 */
function findToolNotFound(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const { isError, content } = result as { isError?: unknown; content?: unknown };
  if (isError !== true || !Array.isArray(content)) return undefined;

  for (const item of content as { type?: unknown; text?: unknown }[]) {
    if (
      item.type === 'text' &&
      typeof item.text === 'string' &&
      /Tool \S+ not found/.test(item.text)
    ) {
      return item.text;
    }
  }
  return undefined;
}
