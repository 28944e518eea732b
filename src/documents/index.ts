export { DocumentError, type DocumentErrorReason } from './document-error.ts';
export { MAX_TITLE_LENGTH } from './document-rules.ts';
export {
  countDocuments,
  createDocument,
  DEFAULT_LIST_LIMIT,
  type DocumentPage,
  type DocumentRecord,
  type DocumentSummary,
  deleteDocument,
  findDocument,
  type ListOptions,
  listDocuments,
  MAX_LIST_LIMIT,
  updateDocument,
  type WriteOptions,
} from './documents.ts';
export {
  DEFAULT_SEARCH_LIMIT,
  MAX_SEARCH_LIMIT,
  type SearchHit,
  type SearchOptions,
  searchDocuments,
} from './search.ts';
