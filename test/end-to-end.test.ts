import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Browser } from './support/browser.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import { initialize, postForm } from './support/oauth.ts';
import {
  allToolNames,
  connectWithOAuth,
  readJson,
  TestOAuthProvider,
} from './support/sdk-client.ts';

/**
 * The whole slice with the official MCP SDK client: discovery from the 401, dynamic
 * registration, authorization with PKCE through the sign-up and consent pages, code exchange,
 * document tools, refresh, revocation, and the 401 that follows.
 */
describe('MCP SDK client end to end', () => {
  let folio: RunningFolio;
  beforeAll(async () => {
    folio = await startFolio();
  });
  afterAll(() => folio.close());

  it('signs up, consents, and works with documents until the grant is revoked', async () => {
    const browser = new Browser(folio.origin);
    const provider = new TestOAuthProvider(browser, {
      email: 'ada@example.com',
      password: 'correct horse battery',
      signUp: true,
    });

    const client = await connectWithOAuth(folio.mcpUrl, provider);
    const authorizationUrl = provider.lastAuthorizationUrl as URL;
    expect(authorizationUrl.origin).toBe(folio.origin);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('resource')).toBe(folio.mcpUrl);
    expect(provider.saved?.refresh_token).toBeString();
    expect(provider.saved?.scope).toBe('documents:read documents:write');

    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name).sort()).toEqual(allToolNames);

    const created = await client.callTool({
      name: 'create_document',
      arguments: { title: 'Garden plan', body: 'Plant the tomatoes after the last frost.' },
    });
    expect(created.isError).toBeFalsy();
    const id = (created.structuredContent as { id: string }).id;

    const found = readJson(
      await client.callTool({ name: 'search', arguments: { query: 'tomatoes frost' } }),
    );
    expect(found).toEqual({
      results: [{ id, title: 'Garden plan', url: `${folio.origin}/documents/${id}` }],
    });

    const fetched = readJson(await client.callTool({ name: 'fetch', arguments: { id } }));
    expect(fetched.text).toBe('Plant the tomatoes after the last frost.');

    const updated = await client.callTool({
      name: 'update_document',
      arguments: { id, body: 'Plant the tomatoes in May.' },
    });
    expect(updated.isError).toBeFalsy();
    const refetched = readJson(await client.callTool({ name: 'fetch', arguments: { id } }));
    expect(refetched.text).toBe('Plant the tomatoes in May.');

    const deleted = await client.callTool({ name: 'delete_document', arguments: { id } });
    expect(deleted.isError).toBeFalsy();
    const gone = await client.callTool({ name: 'fetch', arguments: { id } });
    expect(gone.isError).toBe(true);
    await client.close();

    // Refresh: a new pair, and the new access token works at once.
    const refreshed = await postForm(`${folio.origin}/token`, {
      grant_type: 'refresh_token',
      refresh_token: provider.saved?.refresh_token ?? '',
      client_id: String(provider.client?.client_id),
      resource: folio.mcpUrl,
    });
    expect(refreshed.status).toBe(200);
    const pair = (await refreshed.json()) as { access_token: string; refresh_token: string };
    expect(pair.refresh_token).not.toBe(provider.saved?.refresh_token);
    expect((await initialize(folio.mcpUrl, pair.access_token)).status).toBe(200);

    // Revocation ends the grant: the access token stops working now, not at expiry.
    const revoked = await postForm(`${folio.origin}/revoke`, {
      token: pair.refresh_token,
      client_id: String(provider.client?.client_id),
    });
    expect(revoked.status).toBe(200);
    const after = await initialize(folio.mcpUrl, pair.access_token);
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it("keeps two users apart: no tool lists, reads, changes or deletes the other's", async () => {
    const connect = (email: string) =>
      connectWithOAuth(
        folio.mcpUrl,
        new TestOAuthProvider(new Browser(folio.origin), {
          email,
          password: 'another long password',
          signUp: true,
        }),
      );
    const alice = await connect('alice@example.com');
    const mallory = await connect('mallory@example.com');

    const created = await alice.callTool({
      name: 'create_document',
      arguments: { title: 'Alice private diary', body: 'the secret word is marmalade' },
    });
    const id = (created.structuredContent as { id: string }).id;

    const listed = await mallory.callTool({ name: 'list_documents', arguments: {} });
    expect((listed.structuredContent as { documents: unknown[] }).documents).toEqual([]);
    const searched = readJson(
      await mallory.callTool({ name: 'search', arguments: { query: 'marmalade' } }),
    );
    expect(searched).toEqual({ results: [] });

    const attempts = [
      { name: 'fetch', arguments: { id } },
      { name: 'update_document', arguments: { id, body: 'overwritten' } },
      { name: 'delete_document', arguments: { id } },
    ];
    const missing = await mallory.callTool({ name: 'fetch', arguments: { id: 'no-such-id' } });
    for (const attempt of attempts) {
      const result = await mallory.callTool(attempt);
      expect(result.isError).toBe(true);
      // Indistinguishable from a document that does not exist.
      const text = (result.content as { text: string }[])[0]?.text ?? '';
      const missingText = (missing.content as { text: string }[])[0]?.text ?? '';
      expect(text.replace(id, 'ID')).toBe(missingText.replace('no-such-id', 'ID'));
    }

    const intact = readJson(await alice.callTool({ name: 'fetch', arguments: { id } }));
    expect(intact.text).toBe('the secret word is marmalade');
    await alice.close();
    await mallory.close();
  });
});
