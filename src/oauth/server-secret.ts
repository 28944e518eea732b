import { eq } from 'drizzle-orm';
import { randomToken } from '../secrets.ts';
import type { Db } from '../storage/database.ts';
import { serverSecrets } from '../storage/schema.ts';

/** A random key kept in the database under `name`, created on first use; stable across restarts. */
export function loadServerSecret(db: Db, name: string, now: number): string {
  db.insert(serverSecrets)
    .values({ name, value: randomToken(), createdAt: now })
    .onConflictDoNothing()
    .run();
  const row = db.select().from(serverSecrets).where(eq(serverSecrets.name, name)).get();
  if (!row) throw new Error(`server secret ${name} could not be stored`);
  return row.value;
}
