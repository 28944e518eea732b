import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import {
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { createDocument } from '../src/documents/index.ts';
import { callJson, type McpHarness, startMcpHarness } from './support/mcp-harness.ts';

let harness: McpHarness;

beforeEach(async () => {
  harness = await startMcpHarness();
});
afterEach(() => harness.close());

function seed(userId: string, count: number, folder = '') {
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const options = { now: harness.clock.now + n, maxBytes: 65536, actor: 'test' };
    const input = { title: `Doc ${n}`, body: `body ${n}`, folder };
    ids.push(createDocument(harness.storage.db, userId, input, options).id);
  }
  return ids;
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let tries = 0; tries < 100 && !check(); tries += 1) await Bun.sleep(20);
  expect(check()).toBe(true);
}

describe('resources', () => {
  it('offers folio://documents/{id} and folio://folders/{folder} as templates', async () => {
    const client = await harness.connect('alice-a');
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual([
      'folio://documents/{id}',
      'folio://folders/{folder}',
    ]);
    expect(client.getServerCapabilities()?.resources).toEqual({
      subscribe: true,
      listChanged: true,
    });
  });

  it("pages resources/list through the caller's documents only", async () => {
    const ids = seed('alice', 130);
    seed('bob', 3);
    const client = await harness.connect('alice-a');

    const first = await client.listResources();
    expect(first.resources).toHaveLength(100);
    expect(first.nextCursor).toBeString();
    const second = await client.listResources({ cursor: first.nextCursor });
    expect(second.resources).toHaveLength(30);
    expect(second.nextCursor).toBeUndefined();
    const uris = new Set([...first.resources, ...second.resources].map((r) => r.uri));
    expect(uris).toEqual(new Set(ids.map((id) => `folio://documents/${id}`)));
  });

  it('reads a document as Markdown, and refuses another user’s', async () => {
    const [id] = seed('alice', 1);
    const alice = await harness.connect('alice-a');
    const bob = await harness.connect('bob');

    const read = await alice.readResource({ uri: `folio://documents/${id}` });
    expect(read.contents).toEqual([
      { uri: `folio://documents/${id}`, mimeType: 'text/markdown', text: 'body 0' },
    ]);
    await expect(bob.readResource({ uri: `folio://documents/${id}` })).rejects.toThrow(
      'names no document of yours',
    );
  });

  it('reads a folder listing', async () => {
    seed('alice', 2, 'work/notes');
    const client = await harness.connect('alice-a');
    const read = await client.readResource({ uri: 'folio://folders/work' });
    const listing = JSON.parse((read.contents[0] as { text: string }).text);
    expect(listing).toMatchObject({
      folder: 'work',
      documents: [],
      subfolders: [{ path: 'work/notes', documents: 2 }],
    });
  });

  it('completes document ids by id prefix or title, and folders by prefix', async () => {
    const [id] = seed('alice', 1, 'projects/2026');
    seed('bob', 1, 'projects/bob');
    const client = await harness.connect('alice-a');

    const byTitle = await client.complete({
      ref: { type: 'ref/resource', uri: 'folio://documents/{id}' },
      argument: { name: 'id', value: 'doc 0' },
    });
    expect(byTitle.completion.values).toEqual([id as string]);
    const folders = await client.complete({
      ref: { type: 'ref/resource', uri: 'folio://folders/{folder}' },
      argument: { name: 'folder', value: 'proj' },
    });
    expect(folders.completion.values).toEqual(['projects', 'projects/2026']);
  });

  it('notifies a subscribed session when another client changes the document', async () => {
    const [id] = seed('alice', 1);
    const uri = `folio://documents/${id}`;
    const watcher = await harness.connect('alice-a');
    const updated: string[] = [];
    let listChanged = 0;
    watcher.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      updated.push(notification.params.uri);
    });
    watcher.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      listChanged += 1;
    });
    await watcher.subscribeResource({ uri });
    // Let the client open its GET stream, where server-initiated notifications travel.
    await Bun.sleep(50);

    const editor = await harness.connect('alice-b');
    await callJson(editor, 'append_to_document', { id, text: 'more' });
    await waitFor(() => updated.length === 1);
    expect(updated).toEqual([uri]);

    await callJson(editor, 'create_document', { title: 'New', body: 'x' });
    await waitFor(() => listChanged > 0);

    const stranger = await harness.connect('bob');
    await callJson(stranger, 'create_document', { title: 'Bob', body: 'x' });
    await Bun.sleep(50);
    expect(updated).toHaveLength(1);
  });
});
