import { afterAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser } from './support/browser.ts';
import { startFolio } from './support/folio.ts';
import { exchange, initialize, obtainCode, refresh, signUp } from './support/oauth.ts';

describe('restart', () => {
  const folder = mkdtempSync(join(tmpdir(), 'folio-restart-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps issued access and refresh tokens valid across a restart', async () => {
    const databasePath = join(folder, 'folio.db');
    const first = await startFolio({ databasePath });
    const browser = new Browser(first.origin);
    await signUp(browser);
    const granted = await obtainCode(first, browser);
    const { body } = await exchange(first, granted);
    const jwks = await (await fetch(`${first.origin}/.well-known/jwks.json`)).json();
    const port = Number(new URL(first.origin).port);
    await first.stop();

    const second = await startFolio({ databasePath, port });
    try {
      expect(await (await fetch(`${second.origin}/.well-known/jwks.json`)).json()).toEqual(jwks);
      expect((await initialize(second.mcpUrl, body.access_token as string)).status).toBe(200);
      const refreshed = await refresh(second, granted.clientId, body.refresh_token as string);
      expect(refreshed.status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
