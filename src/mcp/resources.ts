import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CompleteRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  McpError,
  type ServerNotification,
  type ServerRequest,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import {
  findDocument,
  listDocuments,
  listSubfolders,
  subscribeToChanges,
  suggestDocumentIds,
  suggestFolders,
} from '../documents/index.ts';
import { buildResourceUri, describeDocument } from './document-shapes.ts';
import { hasScope, READ_SCOPE } from './scopes.ts';
import type { ToolDeps } from './tool-deps.ts';
import { type Caller, readCaller } from './tool-result.ts';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export const DOCUMENT_TEMPLATE = 'folio://documents/{id}';
export const FOLDER_TEMPLATE = 'folio://folders/{folder}';
const RESOURCES_PER_PAGE = 100;

/**
 * Each document is an MCP resource, `folio://documents/{id}`, and each folder a listing,
 * `folio://folders/{folder}`. The SDK's own list and completion handlers cannot see the
 * caller, so Folio replaces them: resources/list pages through the caller's documents, and
 * completions suggest the caller's ids and folders. A session that subscribes to a document
 * hears `notifications/resources/updated` when it changes, and one that has used resources
 * hears `list_changed` when a document appears or goes. Needs documents:read.
 */
export function registerResources(server: McpServer, deps: ToolDeps): void {
  const { config, db } = deps.ctx;
  const subscriptions = new Map<string, string>();
  let sessionUserId: string | undefined;

  const requireReader = (extra: Extra): Caller => {
    const caller = readCaller(extra.authInfo);
    if (!caller || !hasScope(caller.scopes, READ_SCOPE)) {
      throw new McpError(ErrorCode.InvalidRequest, `resources need the ${READ_SCOPE} scope`);
    }
    sessionUserId = caller.userId;
    return caller;
  };

  server.registerResource(
    'document',
    new ResourceTemplate(DOCUMENT_TEMPLATE, { list: undefined, complete: { id: () => [] } }),
    {
      title: 'Folio document',
      description: "One of the user's documents, as Markdown",
      mimeType: 'text/markdown',
    },
    (uri, variables, extra) => {
      const caller = requireReader(extra);
      const id = String(variables.id ?? '');
      const document = findDocument(db, caller.userId, decodeURIComponent(id));
      if (!document) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `resource ${uri.href} names no document of yours`,
        );
      }
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: document.body }] };
    },
  );

  server.registerResource(
    'folder',
    new ResourceTemplate(FOLDER_TEMPLATE, { list: undefined, complete: { folder: () => [] } }),
    {
      title: 'Folio folder',
      description: 'The documents and subfolders directly in one folder, as JSON',
      mimeType: 'application/json',
    },
    (uri, variables, extra) => {
      const caller = requireReader(extra);
      const folder = decodeURIComponent(String(variables.folder ?? ''));
      const page = listDocuments(db, caller.userId, { folder, limit: 200 });
      const listing = {
        folder,
        subfolders: listSubfolders(db, caller.userId, folder),
        documents: page.documents.map((entry) => describeDocument(config.issuerUrl, entry)),
        more: page.nextCursor !== null,
      };
      return {
        contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(listing) }],
      };
    },
  );

  server.server.setRequestHandler(ListResourcesRequestSchema, (request, extra) => {
    const caller = requireReader(extra);
    const page = listDocuments(db, caller.userId, {
      cursor: request.params?.cursor,
      limit: RESOURCES_PER_PAGE,
    });
    const resources = page.documents.map((entry) => ({
      uri: buildResourceUri(entry.id),
      name: entry.title,
      title: entry.title,
      description: entry.folder === '' ? undefined : `in ${entry.folder}`,
      mimeType: 'text/markdown',
      size: entry.size,
    }));
    return page.nextCursor === null ? { resources } : { resources, nextCursor: page.nextCursor };
  });

  server.server.setRequestHandler(CompleteRequestSchema, (request, extra) => {
    const caller = requireReader(extra);
    const { ref, argument } = request.params;
    const template = ref.type === 'ref/resource' ? ref.uri : '';
    let values: string[] = [];
    if (template === DOCUMENT_TEMPLATE && argument.name === 'id') {
      values = suggestDocumentIds(db, caller.userId, argument.value);
    } else if (template === FOLDER_TEMPLATE && argument.name === 'folder') {
      values = suggestFolders(db, caller.userId, argument.value);
    }
    return { completion: { values, total: values.length, hasMore: false } };
  });

  server.server.setRequestHandler(SubscribeRequestSchema, (request, extra) => {
    const caller = requireReader(extra);
    subscriptions.set(request.params.uri, caller.userId);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request, extra) => {
    requireReader(extra);
    subscriptions.delete(request.params.uri);
    return {};
  });

  const stopListening = subscribeToChanges(db, (change) => {
    const uri = buildResourceUri(change.documentId);
    if (subscriptions.get(uri) === change.userId) {
      server.server.sendResourceUpdated({ uri }).catch(() => {
        // The session's stream is gone; the next request of the client re-reads anyway.
      });
    }
    if (change.kind !== 'updated' && change.userId === sessionUserId && server.isConnected()) {
      server.sendResourceListChanged();
    }
  });
  const previousOnClose = server.server.onclose;
  server.server.onclose = () => {
    stopListening();
    previousOnClose?.();
  };
}
