export { createDocuments } from './bulk-create.ts';
export {
  type DocumentChange,
  type DocumentChangeKind,
  publishChange,
  subscribeToChanges,
} from './change-feed.ts';
export { suggestDocumentIds, suggestFolders } from './completion.ts';
export { DocumentError, type DocumentErrorReason, notFound } from './document-error.ts';
export { MAX_TAG_LENGTH, MAX_TAGS, MAX_TITLE_LENGTH } from './document-rules.ts';
export {
  countDocuments,
  createDocument,
  type DocumentChanges,
  type DocumentRecord,
  type DocumentSummary,
  findDocument,
  type ImportedIdentity,
  updateDocument,
  type WriteOptions,
} from './documents.ts';
export { appendToDocument, replaceInDocument } from './edits.ts';
export {
  findVersion,
  type HistoryPage,
  listHistory,
  MAX_HISTORY_LIMIT,
  restoreVersion,
  type VersionSummary,
} from './history.ts';
export { type ImportInput, type ImportOutcome, importDocument } from './imports.ts';
export {
  DEFAULT_LIST_LIMIT,
  type DocumentFilters,
  type DocumentPage,
  type ListOptions,
  listDocuments,
  listSubfolders,
  MAX_LIST_LIMIT,
  parseDateFilter,
  type Subfolder,
} from './listing.ts';
export { listHeadings, MAX_PIECE_LENGTH, type Piece, readRange, readSection } from './pieces.ts';
export {
  DEFAULT_SEARCH_LIMIT,
  MAX_SEARCH_LIMIT,
  type SearchHit,
  type SearchOptions,
  type SearchPage,
  searchDocumentPage,
  searchDocuments,
} from './search.ts';
export {
  DAY_MS,
  type DocumentSettings,
  defaultDocumentSettings,
  resolveDocumentSettings,
} from './settings.ts';
export {
  listTrash,
  purgeDocument,
  purgeExpiredTrash,
  restoreDocument,
  type TrashEntry,
  trashDocument,
} from './trash.ts';
