import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import { toolScopes } from '../src/mcp/scopes.ts';
import {
  callError,
  callJson,
  callTool,
  type McpHarness,
  startMcpHarness,
} from './support/mcp-harness.ts';
import { allToolNames } from './support/sdk-client.ts';

let harness: McpHarness;

beforeEach(async () => {
  harness = await startMcpHarness({ fetchMaxChars: 40 });
});
afterEach(() => harness.close());

async function createAs(token: string, args: Record<string, unknown>) {
  const client = await harness.connect(token);
  const created = await callJson(client, 'create_document', args);
  return { client, id: String(created.id), created };
}

describe('tools/list', () => {
  it('gives every registered tool a scope in toolScopes, and no other', async () => {
    const client = await harness.connect('alice-a');
    const names = (await client.listTools()).tools.map((tool) => tool.name).sort();

    expect(names).toEqual(allToolNames);
    expect(Object.keys(toolScopes).sort()).toEqual(names);
  });
});

describe('update_document > base_version', () => {
  it('refuses a conflicting update from a second client with the current version', async () => {
    const { client: first, id } = await createAs('alice-a', { title: 'Shared', body: 'v1 text' });
    const second = await harness.connect('alice-b');
    const readBySecond = await callJson(second, 'fetch', { id });
    expect((readBySecond.metadata as { version: number }).version).toBe(1);

    await callJson(first, 'replace_in_document', {
      id,
      old_text: 'v1',
      new_text: 'v2',
      base_version: 1,
    });
    const refusal = await callError(second, 'update_document', {
      id,
      body: 'second client overwrite',
      base_version: 1,
    });

    expect(refusal).toContain('base_version 1 is not the current version');
    expect(refusal).toContain('which is 2');
    expect((await callJson(second, 'fetch', { id })).text).toBe('v2 text');
    const history = await callJson(first, 'document_history', { id });
    const versions = history.versions as { version: number; changed_by: string }[];
    expect(versions.map((v) => [v.version, v.changed_by])).toEqual([
      [2, 'client-a'],
      [1, 'client-a'],
    ]);
  });
});

describe('restore_version', () => {
  it('brings back the text from before a bad edit, as a new version', async () => {
    const { client, id } = await createAs('alice-a', { title: 'Essay', body: 'good words' });
    await callJson(client, 'update_document', { id, body: 'vandalised' });

    const old = await callJson(client, 'document_history', { id, version: 1 });
    expect(old.text).toBe('good words');
    const restored = await callJson(client, 'restore_version', { id, version: 1 });

    expect(restored.version).toBe(3);
    expect((await callJson(client, 'fetch', { id })).text).toBe('good words');
  });
});

describe('delete_document, list_trash, restore_document, purge_document', () => {
  it('moves to the trash and restores from it', async () => {
    const { client, id } = await createAs('alice-a', { title: 'Draft', body: 'words' });
    const deleted = await callJson(client, 'delete_document', { id });
    expect(deleted.purge_at).toBe('2023-12-14T22:13:20.000Z');

    const trash = await callJson(client, 'list_trash', {});
    expect((trash.documents as { id: string }[]).map((d) => d.id)).toEqual([id]);
    await callError(client, 'fetch', { id });

    await callJson(client, 'restore_document', { id });
    expect((await callJson(client, 'fetch', { id })).text).toBe('words');
  });

  it('refuses to purge without the exact title, and purges with it', async () => {
    const { client, id } = await createAs('alice-a', { title: 'Tax 2025', body: 'numbers' });
    await callJson(client, 'delete_document', { id });

    const missing = await callError(client, 'purge_document', { id });
    expect(missing).toContain('confirm_title');
    const wrong = await callError(client, 'purge_document', { id, confirm_title: 'Tax' });
    expect(wrong).toContain('confirm_title must repeat the title');
    expect((await callJson(client, 'list_trash', {})).documents).toHaveLength(1);

    expect(await callJson(client, 'purge_document', { id, confirm_title: 'Tax 2025' })).toEqual({
      id,
      purged: true,
    });
    expect((await callJson(client, 'list_trash', {})).documents).toEqual([]);
  });
});

describe('append_to_document and replace_in_document', () => {
  it('edits without resending the body, and says how often an ambiguous passage occurs', async () => {
    const { client, id } = await createAs('alice-a', { title: 'List', body: '- milk\n- milk' });
    await callJson(client, 'append_to_document', { id, text: '- eggs' });

    const error = await callError(client, 'replace_in_document', {
      id,
      old_text: 'milk',
      new_text: 'oat milk',
    });
    expect(error).toContain('occurs 2 times');
    await callJson(client, 'replace_in_document', {
      id,
      old_text: '- eggs',
      new_text: '- bread',
    });
    expect((await callJson(client, 'read_document', { id })).text).toBe('- milk\n- milk\n- bread');
  });
});

describe('folders and tags', () => {
  it('moves documents, lists folders with subfolders and filters by tag', async () => {
    const { client, id } = await createAs('alice-a', {
      title: 'Plan',
      body: 'x',
      tags: ['work'],
    });
    await callJson(client, 'create_document', {
      title: 'Q1',
      body: 'x',
      folder: 'projects/2026/q1',
    });
    const moved = await callJson(client, 'move_document', { id, folder: 'projects/2026' });
    expect(moved.folder).toBe('projects/2026');

    const listing = await callJson(client, 'list_documents', { folder: 'projects/2026' });
    expect((listing.documents as { title: string }[]).map((d) => d.title)).toEqual(['Plan']);
    expect(listing.subfolders).toEqual([{ path: 'projects/2026/q1', documents: 1 }]);
    expect(await callJson(client, 'list_folders', {})).toEqual({
      folder: '',
      subfolders: [{ path: 'projects', documents: 2 }],
    });
    const tagged = await callJson(client, 'list_documents', { tag: 'WORK' });
    expect((tagged.documents as { id: string }[]).map((d) => d.id)).toEqual([id]);
  });
});

describe('fetch and read_document', () => {
  it('truncates fetch at the cap, says so, and read_document reads the rest', async () => {
    const body = `# Intro\n${'a'.repeat(30)}\n## Details\n${'b'.repeat(30)}\n`;
    const { client, id } = await createAs('alice-a', { title: 'Long', body });

    const fetched = await callJson(client, 'fetch', { id });
    expect(Object.keys(fetched)).toEqual(['id', 'title', 'text', 'url', 'metadata']);
    expect(fetched.text).toBe(body.slice(0, 40));
    expect(fetched.metadata).toMatchObject({ truncated: true, total_length: body.length });

    const rest = await callJson(client, 'read_document', { id, offset: 40 });
    expect(`${fetched.text}${rest.text}`).toBe(body);
    expect(rest.next_offset).toBeNull();
    const section = await callJson(client, 'read_document', { id, heading: 'details' });
    expect(section.text).toBe(`## Details\n${'b'.repeat(30)}\n`);
    expect(section.outline).toEqual([
      { level: 1, text: 'Intro', offset: 0 },
      { level: 2, text: 'Details', offset: 39 },
    ]);
  });
});

describe('search_documents', () => {
  it('returns marked snippets, filters by folder and pages with a cursor', async () => {
    const client = await harness.connect('alice-a');
    for (const folder of ['a', 'a', 'a', 'b']) {
      await callJson(client, 'create_document', { title: 'Note', body: 'the budget plan', folder });
    }

    const first = await callJson(client, 'search_documents', {
      query: 'budg*',
      folder: 'a',
      limit: 2,
    });
    const results = first.results as { snippet: string; folder: string }[];
    expect(results).toHaveLength(2);
    expect(results[0]?.snippet).toContain('**budget**');
    const second = await callJson(client, 'search_documents', {
      query: 'budg*',
      folder: 'a',
      limit: 2,
      cursor: first.next_cursor,
    });
    expect(second.results).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
  });
});

describe('Unicode through the tools', () => {
  it('finds and fetches accented, CJK and emoji titles and bodies unchanged', async () => {
    const title = 'Crème brûlée 東京 🍮';
    const body = 'Recette de grand-mère: caramélisé. 東京タワーの近くで食べた。🔥';
    const { client, id } = await createAs('alice-a', { title, body });

    for (const query of ['creme brulee', 'CARAMELISE', '東京タワー', '"grand-mère"', '食べ*']) {
      const found = await callJson(client, 'search', { query });
      expect((found.results as { id: string }[])[0]?.id).toBe(id);
    }
    const fetched = await callJson(client, 'fetch', { id });
    expect(fetched.title).toBe(title);
    expect(fetched.text).toBe(body.slice(0, 40));
    expect((await callJson(client, 'read_document', { id })).text).toBe(body);
  });
});

describe('limits', () => {
  it('refuses a 10 MB create_document and stores nothing', async () => {
    const client = await harness.connect('alice-a');
    const body = 'x'.repeat(10 * 1024 * 1024);

    const outcome = await callTool(client, 'create_document', { title: 'Huge', body }).then(
      (result) => (result.isError ? 'tool error' : 'stored'),
      () => 'refused by the transport',
    );

    expect(outcome).not.toBe('stored');
    expect((await callJson(client, 'list_documents', {})).documents).toEqual([]);
  });
});
