import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bridgeBin,
  bridgeEnv,
  browserOpens,
  runBridgeCommand,
  storedFiles,
  writeBrowserWrapper,
} from './support/bridge-harness.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';

const TEST_TIMEOUT_MS = 30_000;

describe('folio-bridge commands', () => {
  let folio: RunningFolio;
  let folder: string;
  let browser: string;
  const account = { email: 'lin@example.com', password: 'correct horse battery' };

  beforeAll(async () => {
    folio = await startFolio();
    folder = mkdtempSync(join(tmpdir(), 'folio-bridge-commands-'));
    browser = writeBrowserWrapper(folder);
  });

  afterAll(async () => {
    await folio?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }, 15_000);

  /** A fresh HOME, so each case starts signed out. */
  function freshHome(): string {
    return mkdtempSync(join(folder, 'home-'));
  }

  describe('login, status, logout', () => {
    it(
      'signs in ahead of time, shows the sign-in in status, then revokes it at the server',
      async () => {
        const home = freshHome();
        const env = bridgeEnv(home, browser, { ...account, signUp: true });

        const login = await runBridgeCommand(['login', folio.mcpUrl], env);
        expect(login.stderr).toContain(`folio-bridge: sign in to ${folio.origin}`);
        expect(login.stdout).toContain(`Signed in to ${folio.mcpUrl}: access token valid until`);
        expect(login.code).toBe(0);
        expect(browserOpens(home)).toBe(1);
        const { tokens, clientId } = storedFiles(home);

        const again = await runBridgeCommand(['login', folio.mcpUrl], env);
        expect(again.code).toBe(0);
        expect(browserOpens(home)).toBe(1);

        const status = await runBridgeCommand(['status'], env);
        expect(status.stdout).toContain(`${folio.mcpUrl}: access token valid until`);
        expect(status.stdout).not.toContain(String(tokens.access_token));

        const logout = await runBridgeCommand(['logout', folio.mcpUrl], env);
        expect(logout.code).toBe(0);
        expect(logout.stdout).toContain(`access revoked at ${folio.origin}, tokens deleted`);

        const refresh = await fetch(`${folio.origin}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: String(tokens.refresh_token),
            client_id: clientId,
          }),
        });
        expect(refresh.status).toBe(400);
        expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');

        const after = await runBridgeCommand(['status'], env);
        expect(after.stdout).toContain('Not signed in to any Folio server');
      },
      TEST_TIMEOUT_MS,
    );

    it('logout without a sign-in says there is nothing to forget', async () => {
      const env = bridgeEnv(freshHome(), browser, { ...account, signUp: false });
      const logout = await runBridgeCommand(['logout', folio.mcpUrl], env);
      expect(logout.code).toBe(0);
      expect(logout.stdout).toContain('nothing to forget');
    });
  });

  describe('failures', () => {
    it(
      'prints the URL to open when no browser can be launched, then times out clearly',
      async () => {
        const env = { ...bridgeEnv(freshHome(), browser, { ...account, signUp: false }) };
        env.BROWSER = '/bin/false';

        const login = await runBridgeCommand(
          ['login', folio.mcpUrl, '--sign-in-timeout', '2'],
          env,
        );
        expect(login.code).toBe(1);
        expect(login.stderr).toContain(`if no browser opens, visit: ${folio.origin}/authorize?`);
        expect(login.stderr).toContain(
          `folio-bridge: the sign-in to ${folio.origin} was not finished within 2 s.`,
        );
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'the stdio server stops after an unfinished sign-in instead of waiting forever',
      async () => {
        const env = { ...bridgeEnv(freshHome(), browser, { ...account, signUp: false }) };
        env.BROWSER = '/bin/false';

        const run = await runBridgeCommand([folio.mcpUrl, '--sign-in-timeout', '2'], env);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('was not finished within 2 s');
        expect(run.stderr).toContain(`Run "folio-bridge login ${folio.mcpUrl}"`);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'a second instance waits for the sign-in already under way and says so',
      async () => {
        const env = { ...bridgeEnv(freshHome(), browser, { ...account, signUp: false }) };
        env.BROWSER = '/bin/false';

        let firstIsWaiting: () => void = () => {};
        const waiting = new Promise<void>((resolve) => {
          firstIsWaiting = resolve;
        });
        // The first instance outlasts the second, however slow the machine; it is stopped below.
        const stopFirst = new AbortController();
        const first = runBridgeCommand(['login', folio.mcpUrl, '--sign-in-timeout', '60'], env, {
          signal: stopFirst.signal,
          onStderr: (text) => {
            if (text.includes('if no browser opens')) firstIsWaiting();
          },
        });
        await waiting;
        const second = await runBridgeCommand(
          ['login', folio.mcpUrl, '--sign-in-timeout', '3'],
          env,
        );
        stopFirst.abort();
        await first;

        expect(second.stderr).toContain(
          `folio-bridge: another folio-bridge is already signing in to ${folio.origin}; waiting`,
        );
        expect(second.stderr).not.toContain('if no browser opens');
        expect(second.stderr).toContain('was not finished within 3 s');
        expect(second.code).toBe(1);
      },
      TEST_TIMEOUT_MS,
    );

    it('names an unreachable server', async () => {
      const env = bridgeEnv(freshHome(), browser, { ...account, signUp: false });
      const closed = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
      const origin = `http://127.0.0.1:${closed.port}`;
      closed.stop(true);

      const run = await runBridgeCommand([`${origin}/mcp`], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`folio-bridge: cannot reach ${origin} (ECONNREFUSED).`);
    });

    it('says when the URL is not the MCP URL', async () => {
      const env = bridgeEnv(freshHome(), browser, { ...account, signUp: false });
      const run = await runBridgeCommand([`${folio.origin}/nothing-here`], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('answered 404: give the MCP URL, which ends in /mcp');
    });

    it('refuses plain http beyond this machine', async () => {
      const env = bridgeEnv(freshHome(), browser, { ...account, signUp: false });
      const run = await runBridgeCommand(['http://docs.example.com/mcp'], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('http://docs.example.com must use https');
    });
  });

  describe('config', () => {
    const url = 'https://docs.example.com/mcp';
    const cases = [
      ['gemini', '~/.gemini/settings.json', '%USERPROFILE%\\.gemini\\settings.json'],
      [
        'claude-desktop',
        '~/Library/Application Support/Claude/claude_desktop_config.json',
        '%APPDATA%\\Claude\\claude_desktop_config.json',
      ],
      ['cursor', '~/.cursor/mcp.json', '%USERPROFILE%\\.cursor\\mcp.json'],
    ] as const;

    for (const [client, macPath, windowsPath] of cases) {
      it(`${client}: prints an mcpServers snippet and where the file lives`, async () => {
        const result = await runBridgeCommand(['config', client, url], { ...process.env } as Record<
          string,
          string
        >);
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout)).toEqual({
          mcpServers: { folio: { command: 'npx', args: ['-y', 'folio-bridge@0.1.0', url] } },
        });
        expect(result.stderr).toContain(`macOS    ${macPath}`);
        expect(result.stderr).toContain('Linux    ');
        expect(result.stderr).toContain(`Windows  ${windowsPath}`);
      });
    }

    it('perplexity: prints the connector JSON for the Mac app', async () => {
      const result = await runBridgeCommand(['config', 'perplexity', url, '--local'], {
        ...process.env,
      } as Record<string, string>);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ command: 'node', args: [bridgeBin, url] });
      expect(result.stderr).toContain('Settings > Connectors');
    });

    it('refuses an unknown client with the list of known ones', async () => {
      const result = await runBridgeCommand(['config', 'notepad', url], {
        ...process.env,
      } as Record<string, string>);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        'choose a client: gemini, perplexity, claude-desktop, cursor',
      );
    });
  });
});
