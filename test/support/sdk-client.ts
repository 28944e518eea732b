import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Browser } from './browser.ts';

export type Account = { email: string; password: string; signUp?: boolean };

/**
 * The MCP SDK's own OAuth client, with the browser step done in-process: the authorization
 * URL is walked through Folio's pages and the code is taken from the final redirect.
 */
export class TestOAuthProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = '';
  code?: string;
  lastAuthorizationUrl?: URL;

  constructor(
    private readonly browser: Browser,
    private readonly account: Account,
    readonly metadata: Partial<OAuthClientMetadata> = {},
    readonly redirect = 'http://127.0.0.1:8976/callback',
  ) {}

  get redirectUrl() {
    return this.redirect;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Folio SDK test client',
      redirect_uris: [this.redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...this.metadata,
    };
  }

  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }

  async redirectToAuthorization(url: URL) {
    this.lastAuthorizationUrl = url;
    const back = await this.browser.authorize(url.href, this.account);
    const code = back.searchParams.get('code');
    if (!code) throw new Error(`no code in redirect: ${back.searchParams.get('error')}`);
    this.code = code;
  }
}

/** Connects an SDK client to `mcpUrl`, running the whole OAuth flow on the first 401. */
export async function connectWithOAuth(mcpUrl: string, provider: TestOAuthProvider) {
  const client = new Client({ name: 'folio-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  try {
    await client.connect(transport);
    return client;
  } catch (error) {
    if (!(error instanceof UnauthorizedError) || !provider.code) throw error;
  }
  await transport.finishAuth(provider.code);
  const retry = new Client({ name: 'folio-test', version: '1.0.0' });
  await retry.connect(
    new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider }),
  );
  return retry;
}

/** The text of a tool result's single text item, parsed as JSON. */
export function readJson(result: unknown): Record<string, unknown> {
  const content = (result as { content?: { type: string; text: string }[] }).content ?? [];
  if (content.length !== 1 || content[0]?.type !== 'text') {
    throw new Error(`expected one text item, got ${JSON.stringify(content).slice(0, 200)}`);
  }
  return JSON.parse(content[0].text);
}

/** Every tool Folio offers a token with both scopes, sorted by name. */
export const allToolNames = [
  'append_to_document',
  'create_document',
  'delete_document',
  'document_history',
  'fetch',
  'list_documents',
  'list_folders',
  'list_trash',
  'move_document',
  'purge_document',
  'read_document',
  'replace_in_document',
  'restore_document',
  'restore_version',
  'search',
  'search_documents',
  'update_document',
];
