import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Browser } from './support/browser.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import {
  buildAuthorizationUrl,
  createPkce,
  exchange,
  initialize,
  registerPublic,
  signUp,
  testAccount,
} from './support/oauth.ts';

const headers = (token: string, session?: string) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  ...(session && { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' }),
});

function callTool(folio: RunningFolio, token: string, session: string, name: string, args: object) {
  return fetch(folio.mcpUrl, {
    method: 'POST',
    headers: headers(token, session),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name, arguments: args },
    }),
  });
}

describe('step-up authorization for write tools', () => {
  let folio: RunningFolio;
  let browser: Browser;
  beforeAll(async () => {
    folio = await startFolio();
    browser = new Browser(folio.origin);
    await signUp(browser);
  });
  afterAll(() => folio.close());

  async function tokenFor(clientId: string, scope: string) {
    const redirectUri = 'http://127.0.0.1:7777/callback';
    const pkce = createPkce();
    const back = await browser.authorize(
      buildAuthorizationUrl(folio, { clientId, redirectUri, challenge: pkce.challenge, scope }),
      testAccount,
    );
    const { body } = await exchange(folio, {
      code: back.searchParams.get('code') ?? '',
      clientId,
      redirectUri,
      verifier: pkce.verifier,
    });
    return body;
  }

  it('answers 403 insufficient_scope, then works after consent to the wider scope', async () => {
    const { client_id: clientId } = await registerPublic(folio, ['http://127.0.0.1:7777/callback']);
    const reader = await tokenFor(clientId, 'documents:read');
    expect(reader.scope).toBe('documents:read');

    const opened = await initialize(folio.mcpUrl, reader.access_token as string);
    const session = opened.headers.get('mcp-session-id') ?? '';
    const refused = await callTool(
      folio,
      reader.access_token as string,
      session,
      'create_document',
      {
        title: 'Plan',
        body: 'text',
      },
    );
    expect(refused.status).toBe(403);
    const challenge = refused.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="documents:read documents:write"');
    expect(challenge).toContain(
      `resource_metadata="${folio.origin}/.well-known/oauth-protected-resource/mcp"`,
    );

    // A chunked body without Content-Length gets the same challenge.
    const streamed = await fetch(folio.mcpUrl, {
      method: 'POST',
      headers: headers(reader.access_token as string, session),
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(
            new TextEncoder().encode(
              JSON.stringify({
                jsonrpc: '2.0',
                id: 3,
                method: 'tools/call',
                params: { name: 'delete_document', arguments: { id: 'x' } },
              }),
            ),
          );
          controller.close();
        },
      }),
    });
    expect(streamed.status).toBe(403);

    // Read tools still answer on the same token.
    const read = await callTool(folio, reader.access_token as string, session, 'search', {
      query: 'plan',
    });
    expect(read.status).toBe(200);

    // Asking for more shows the consent page again (the earlier consent covered read only).
    const wider = await fetch(
      buildAuthorizationUrl(folio, {
        clientId,
        redirectUri: 'http://127.0.0.1:7777/callback',
        challenge: createPkce().challenge,
        scope: 'documents:read documents:write',
      }),
      { redirect: 'manual', headers: { cookie: browser.cookieHeader() } },
    );
    expect(wider.status).toBe(200);
    expect(await wider.text()).toContain('Create, change and delete your documents');

    const writer = await tokenFor(clientId, 'documents:read documents:write');
    const again = await initialize(folio.mcpUrl, writer.access_token as string);
    const created = await callTool(
      folio,
      writer.access_token as string,
      again.headers.get('mcp-session-id') ?? '',
      'create_document',
      { title: 'Plan', body: 'text' },
    );
    expect(created.status).toBe(200);
    expect(await created.text()).toContain('"title\\":\\"Plan\\"');
  });
});
