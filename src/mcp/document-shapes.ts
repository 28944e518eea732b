import { z } from 'zod';
import type { DocumentRecord, DocumentSummary } from '../documents/index.ts';

/**
 * The wire shapes of documents in tool results. Field names are snake_case, as in ChatGPT's
 * fetch metadata; the page behind `url` is served by the web UI.
 */

export const documentInfoShape = {
  id: z.string().describe('The document id, for fetch, update_document and delete_document'),
  title: z.string(),
  url: z.string().describe('Where a person can read the document'),
  created_at: z.string().describe('ISO 8601'),
  updated_at: z.string().describe('ISO 8601'),
  size: z.number().int().describe('Size of the text in UTF-8 bytes'),
};

export type DocumentInfo = {
  id: string;
  title: string;
  url: string;
  created_at: string;
  updated_at: string;
  size: number;
};

export function buildDocumentUrl(issuerUrl: string, id: string): string {
  return `${issuerUrl}/documents/${encodeURIComponent(id)}`;
}

export function describeDocument(
  issuerUrl: string,
  document: DocumentSummary | DocumentRecord,
): DocumentInfo {
  return {
    id: document.id,
    title: document.title,
    url: buildDocumentUrl(issuerUrl, document.id),
    created_at: new Date(document.createdAt).toISOString(),
    updated_at: new Date(document.updatedAt).toISOString(),
    size: 'size' in document ? document.size : measureText(document.body),
  };
}

export function measureText(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export const documentIdInput = z
  .string()
  .min(1)
  .max(100)
  .describe('A document id returned by search, list_documents or create_document');
