import type { Database } from 'bun:sqlite';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDocument } from '../src/documents/index.ts';
import { createUser } from '../src/login/accounts.ts';
import { openStorage } from '../src/storage/database.ts';
import { loadCorpus } from './corpus.ts';

/** The account that owns every seeded document; the bench signs in as it. */
export const benchAccount = { email: 'bench@example.com', password: 'bench password 1234' };

const CACHE_DIR = join(import.meta.dir, '.cache');
// Bump when the corpus or the schema of a seeded file changes, so stale caches are not reused.
const SEED_VERSION = 2;
// createDocument's quota check reads all of the owner's rows on every insert, so seeding one
// owner is quadratic: documents are written for helper owners in shards, then handed over.
const SHARD_SIZE = 1000;

/**
 * A database holding `count` documents of real text for the bench account, built once through
 * createDocument in one transaction and cached under bench/.cache. Returns the cached file's
 * path: copy it before writing to it.
 */
export async function seedDatabase(count: number): Promise<string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, `folio-v${SEED_VERSION}-${count}.db`);
  if (existsSync(path)) return path;

  const building = `${path}.building`;
  rmSync(building, { force: true });
  const storage = openStorage(building);
  const now = Date.UTC(2026, 0, 1);
  const account = await createUser(storage.db, benchAccount.email, benchAccount.password, now);

  const corpus = loadCorpus(count);
  const limits = { maxDocumentsPerUser: Number.MAX_SAFE_INTEGER };
  const options = { maxBytes: 1024 * 1024, limits, actor: 'cli' };
  storage.sqlite.transaction(() => {
    let owner = account.id;
    corpus.forEach((document, index) => {
      if (index % SHARD_SIZE === 0) owner = addShardOwner(storage.sqlite, index);
      createDocument(storage.db, owner, document, { ...options, now: now + index });
    });
    storage.sqlite.run("UPDATE documents SET user_id = ? WHERE user_id LIKE 'shard-%'", [
      account.id,
    ]);
    storage.sqlite.run("DELETE FROM users WHERE id LIKE 'shard-%'");
  })();
  storage.sqlite.run('PRAGMA wal_checkpoint(TRUNCATE)');
  storage.close();
  rmSync(`${building}-wal`, { force: true });
  rmSync(`${building}-shm`, { force: true });
  renameSync(building, path);
  return path;
}

function addShardOwner(sqlite: Database, index: number): string {
  const id = `shard-${index}`;
  sqlite.run('INSERT INTO users (id, email, created_at) VALUES (?, ?, 0)', [id, `${id}@bench`]);
  return id;
}

/** A private, writable copy of a seeded database for one server run. */
export function copyDatabase(source: string, folder: string, name: string): string {
  const target = join(folder, `${name}.db`);
  copyFileSync(source, target);
  return target;
}
