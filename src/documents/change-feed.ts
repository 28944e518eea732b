/**
 * An in-process feed of document changes, one per database handle, so every MCP session of
 * the same server hears about writes made through any other session.
 */
// TODO(#6): writes by another process (`folio import` while the server runs) are not heard, so
// subscribed clients learn of them only when they next read; a data_version poll would do.
export type DocumentChangeKind = 'created' | 'updated' | 'trashed' | 'restored' | 'purged';

export type DocumentChange = Readonly<{
  userId: string;
  documentId: string;
  kind: DocumentChangeKind;
}>;

type Listener = (change: DocumentChange) => void;

const feeds = new WeakMap<object, Set<Listener>>();

/** Calls `listener` after each committed change; returns the function that stops it. */
export function subscribeToChanges(db: object, listener: Listener): () => void {
  let listeners = feeds.get(db);
  if (!listeners) {
    listeners = new Set();
    feeds.set(db, listeners);
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Delivered on a later tick: a slow or failing listener never holds up or undoes a write. */
export function publishChange(db: object, change: DocumentChange): void {
  const listeners = feeds.get(db);
  if (!listeners || listeners.size === 0) return;
  for (const listener of [...listeners]) queueMicrotask(() => listener(change));
}
