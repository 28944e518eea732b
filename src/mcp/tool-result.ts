import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { VerifiedAccessToken } from '../context.ts';
import { DocumentError } from '../documents/index.ts';
import type { Logger } from '../log.ts';
import { type DocumentScope, hasScope } from './scopes.ts';

/** Who is calling, read from the token of the current HTTP request (not the session's first). */
export type Caller = { userId: string; clientId: string; scopes: readonly string[] };

/** What the route attaches to each request; tools narrow it back with readCaller. */
export function buildAuthInfo(verified: VerifiedAccessToken, resource: string): AuthInfo {
  return {
    // The raw token stays with the bearer gate: no tool needs it, so it is not passed along.
    token: '',
    clientId: verified.clientId,
    scopes: [...verified.scopes],
    expiresAt: verified.expiresAt,
    resource: new URL(resource),
    extra: { userId: verified.userId, grantId: verified.grantId },
  };
}

export function readCaller(authInfo: AuthInfo | undefined): Caller | undefined {
  const userId = authInfo?.extra?.userId;
  if (!authInfo || typeof userId !== 'string' || userId === '') return undefined;
  return { userId, clientId: authInfo.clientId, scopes: authInfo.scopes };
}

type ToolRunOptions = {
  logger: Logger;
  tool: string;
  scope: DocumentScope;
  authInfo: AuthInfo | undefined;
};

/**
 * Runs one tool call for the caller: checks the scope, turns the value into one JSON text item
 * plus the same object as structuredContent, and turns refusals into tool errors (isError) so
 * the model can read them and recover. Unknown failures are logged with their stack and
 * answered vaguely.
 */
export async function runTool<T extends Record<string, unknown>>(
  options: ToolRunOptions,
  work: (caller: Caller) => T,
): Promise<CallToolResult> {
  const caller = readCaller(options.authInfo);
  if (!caller) {
    // The route always attaches auth info; reaching this means the wiring is broken.
    options.logger.error('mcp.tool.no_caller', { tool: options.tool });
    return toolError('Folio could not tell who is calling; reconnect the client and try again');
  }
  if (!hasScope(caller.scopes, options.scope)) {
    return toolError(
      `${options.tool} needs the ${options.scope} scope, which this access token was not ` +
        `granted; the client must re-authorize with the scope ${options.scope}`,
    );
  }

  try {
    return toolValue(work(caller));
  } catch (error) {
    if (error instanceof DocumentError) return toolError(error.message);

    options.logger.error('mcp.tool.failed', {
      tool: options.tool,
      user_id: caller.userId,
      error: error instanceof Error ? error.name : typeof error,
      stack: error instanceof Error ? error.stack : undefined,
    });
    return toolError(`${options.tool} failed because of a server error; it has been logged`);
  }
}

export function toolValue<T extends Record<string, unknown>>(value: T): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

export function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
