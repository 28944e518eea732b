import { describe, expect, it } from 'bun:test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const main = join(import.meta.dir, '..', 'src', 'main.ts');

async function freePort(): Promise<number> {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = probe.port as number;
  probe.stop(true);
  return port;
}

describe('bun run serve', () => {
  it('starts on its defaults, creates and migrates the database, prints the MCP URL', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'folio-serve-'));
    const port = await freePort();
    const child = Bun.spawn(['bun', main], {
      cwd: folder,
      env: { ...process.env, PORT: String(port), LOG_LEVEL: 'info' },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    try {
      let metadata: Response | undefined;
      for (let attempt = 0; attempt < 100 && !metadata; attempt++) {
        await Bun.sleep(100);
        metadata = await fetch(`http://localhost:${port}/.well-known/oauth-authorization-server`)
          .then((response) => response)
          .catch(() => undefined);
      }
      expect(metadata?.status).toBe(200);
      const document = (await metadata?.json()) as { issuer: string } | undefined;
      expect(document?.issuer).toBe(`http://localhost:${port}`);
      expect(existsSync(join(folder, 'data', 'folio.db'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await child.exited;
    }
    const printed =
      (await new Response(child.stderr).text()) + (await new Response(child.stdout).text());
    expect(printed).toContain(`MCP URL: http://localhost:${port}/mcp`);
    expect(printed).toContain('"event":"signup.open"');
    rmSync(folder, { recursive: true, force: true });
  });

  for (const [name, value, rule] of [
    ['PORT', 'eighty', 'PORT must be a whole number from 1 to 65535'],
    ['PUBLIC_URL', 'https://docs.example.com/folio', 'PUBLIC_URL must be an http(s) origin'],
    ['SIGNUP', 'sometimes', 'SIGNUP must be one of open, closed'],
    ['ACCESS_TOKEN_TTL', '60', 'ACCESS_TOKEN_TTL must be a whole number from 600 to 86400'],
    ['GOOGLE_CLIENT_ID', 'x', 'GOOGLE_CLIENT_ID is set, so GOOGLE_CLIENT_SECRET must be too'],
    ['OIDC_ISSUER', 'https://id.example.com', 'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET'],
  ] as const) {
    it(`refuses to start when ${name} is invalid, naming the variable and the rule`, () => {
      const result = Bun.spawnSync(['bun', main], {
        env: { ...process.env, [name]: value, DATABASE_PATH: ':memory:' },
      });
      expect(result.exitCode).toBe(1);
      expect(result.stderr.toString()).toContain(rule);
    });
  }

  it("prints Google's callback URL at start, for the operator to paste into Google's console", async () => {
    const port = await freePort();
    const child = Bun.spawn(['bun', main], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_PATH: ':memory:',
        PUBLIC_URL: 'https://docs.example.com',
        GOOGLE_CLIENT_ID: 'id.apps.googleusercontent.com',
        GOOGLE_CLIENT_SECRET: 'secret',
      },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    let printed = '';
    const reader = child.stderr.getReader();
    const deadline = Date.now() + 10_000;
    while (!printed.includes('MCP URL') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      printed += new TextDecoder().decode(value);
    }
    child.kill('SIGTERM');
    await child.exited;

    expect(printed).toContain('  https://docs.example.com/login/google/callback\n');
    expect(printed).not.toContain('secret');
  });
});
