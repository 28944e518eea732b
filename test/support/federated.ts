import { count } from 'drizzle-orm';
import type { authorizationCodes, identities, users } from '../../src/storage/schema.ts';
import type { Browser, Page } from './browser.ts';
import type { RunningFolio } from './folio.ts';

/** Helpers for sign-in through an upstream provider. */

export const googleCredentials = {
  clientId: 'folio-test.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-test-secret',
};

export const googleEnv = {
  GOOGLE_CLIENT_ID: googleCredentials.clientId,
  GOOGLE_CLIENT_SECRET: googleCredentials.clientSecret,
};

/** Rows in a table of Folio's database, to show what was (not) created. */
export function countRows(
  folio: RunningFolio,
  table: typeof users | typeof identities | typeof authorizationCodes,
): number {
  return folio.storage.db.select({ total: count() }).from(table).get()?.total ?? 0;
}

/** Clicks Allow on the consent page and returns where that leads (upstream, or the client). */
export function allow(browser: Browser, page: Page): Promise<Page> {
  if (!page.html.includes('name="decision"')) {
    throw new Error(`not a consent page: ${page.url} (${page.status}) ${page.html.slice(0, 300)}`);
  }
  return browser.submit(page, {}, ['decision', 'allow']);
}

export function isOffSite(page: Page, origin: string): boolean {
  return new URL(page.url).origin !== origin;
}
