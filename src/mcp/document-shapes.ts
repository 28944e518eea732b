import { z } from 'zod';
import type { DocumentRecord, DocumentSummary } from '../documents/index.ts';

/**
 * The wire shapes of documents in tool results. Field names are snake_case, as in ChatGPT's
 * fetch metadata; the page behind `url` is served by the web UI.
 */

export const documentInfoShape = {
  id: z.string().describe('The document id, for fetch, update_document and the other tools'),
  title: z.string(),
  url: z.string().describe('Where a person can read the document'),
  folder: z.string().describe('Folder path such as projects/2026; "" is the top level'),
  tags: z.array(z.string()),
  version: z.number().int().describe('Current version; pass it as base_version when editing'),
  created_at: z.string().describe('ISO 8601'),
  updated_at: z.string().describe('ISO 8601'),
  size: z.number().int().describe('Size of the text in UTF-8 bytes'),
};

export type DocumentInfo = {
  id: string;
  title: string;
  url: string;
  folder: string;
  tags: string[];
  version: number;
  created_at: string;
  updated_at: string;
  size: number;
};

export function buildDocumentUrl(issuerUrl: string, id: string): string {
  return `${issuerUrl}/documents/${encodeURIComponent(id)}`;
}

export function buildResourceUri(id: string): string {
  return `folio://documents/${encodeURIComponent(id)}`;
}

export function describeDocument(
  issuerUrl: string,
  document: DocumentSummary | DocumentRecord,
): DocumentInfo {
  return {
    id: document.id,
    title: document.title,
    url: buildDocumentUrl(issuerUrl, document.id),
    folder: document.folder,
    tags: document.tags,
    version: document.version,
    created_at: toIso(document.createdAt),
    updated_at: toIso(document.updatedAt),
    size: 'size' in document ? document.size : measureText(document.body),
  };
}

export function toIso(time: number): string {
  return new Date(time).toISOString();
}

export function measureText(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export const documentIdInput = z
  .string()
  .min(1)
  .max(100)
  .describe('A document id returned by search, list_documents or create_document');

export const baseVersionInput = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe(
    'The version you read (the "version" field). If the document changed since, the edit is ' +
      'refused with the current version instead of overwriting the other change. Recommended',
  );

export const folderInput = z
  .string()
  .max(500)
  .describe('Folder path with "/" between levels, e.g. projects/2026; "" is the top level');

export const tagsInput = z.array(z.string().max(50)).max(20).describe('Labels, e.g. ["draft"]');

export const cursorInput = z
  .string()
  .max(300)
  .optional()
  .describe('next_cursor from the previous page');
