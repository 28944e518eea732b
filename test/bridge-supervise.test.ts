import { describe, expect, it } from 'bun:test';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { superviseMcpRemote } from '../bridge/lib/supervise.mjs';

const url = new URL('https://docs.example.com/mcp');
const authorizationUrl = 'https://docs.example.com/authorize?client_id=abc';

/** Stands in for the mcp-remote child: a stderr to write its lines to, and kill() recorded. */
class FakeMcpRemote extends EventEmitter {
  readonly stderr = new PassThrough();
  readonly signals: string[] = [];

  kill(signal: string) {
    this.signals.push(signal);
    this.stderr.end();
    setImmediate(() => this.emit('close', null, signal));
    return true;
  }

  say(...lines: string[]) {
    for (const line of lines) {
      // A killed process says nothing more.
      if (this.stderr.writableEnded) return;
      this.stderr.write(`[4242] ${line}\n`);
    }
  }

  startSignIn() {
    this.say('', 'Please authorize this client by visiting:', authorizationUrl, '');
  }

  exit(code: number) {
    this.stderr.end();
    setImmediate(() => this.emit('close', code, null));
  }
}

function supervise(child: FakeMcpRemote, options: { hadTokens?: boolean; timeoutMs?: number }) {
  const said: string[] = [];
  const outcome = superviseMcpRemote(child as never, {
    url,
    hadTokens: options.hadTokens ?? false,
    signInTimeoutMs: options.timeoutMs ?? 10_000,
    relay: false,
    say: (line: string) => said.push(line),
  });
  return { said, outcome };
}

describe('superviseMcpRemote', () => {
  describe('sign-in', () => {
    it('asks for a first sign-in and gives the URL to open by hand', async () => {
      const child = new FakeMcpRemote();
      const { said, outcome } = supervise(child, {});
      child.startSignIn();
      child.say('Proxy established successfully between local STDIO and remote');
      child.exit(0);

      expect((await outcome).exitCode).toBe(0);
      expect(said).toEqual([
        'sign in to https://docs.example.com in the browser window that opens.',
        `if no browser opens, visit: ${authorizationUrl}`,
        'signed in to https://docs.example.com.',
      ]);
    });

    it('says the saved sign-in was refused when tokens were stored', async () => {
      const child = new FakeMcpRemote();
      const { said, outcome } = supervise(child, { hadTokens: true });
      child.startSignIn();
      child.exit(0);

      await outcome;
      expect(said[0]).toStartWith('https://docs.example.com no longer accepts the saved sign-in');
    });

    it('stops mcp-remote when the person does not finish in time', async () => {
      const child = new FakeMcpRemote();
      const { outcome } = supervise(child, { timeoutMs: 50 });
      child.startSignIn();

      const { exitCode, error } = await outcome;
      expect(exitCode).toBe(1);
      expect(error?.code).toBe('sign_in_timeout');
      expect(child.signals).toContain('SIGTERM');
    });
  });

  describe('revoked tokens', () => {
    it('opens no third browser window after two sign-ins in a row did not finish', async () => {
      const child = new FakeMcpRemote();
      const { said, outcome } = supervise(child, { hadTokens: true });
      child.say('Proxy established successfully between local STDIO and remote');
      child.startSignIn();
      child.say('Authorization failed: access_denied - The person refused');
      child.startSignIn();
      child.startSignIn();

      const { error } = await outcome;
      expect(error?.code).toBe('sign_in_loop');
      expect(said.filter((line) => line.startsWith('if no browser opens'))).toHaveLength(2);
      expect(said).toContain(
        'the sign-in to https://docs.example.com was refused in the browser (access_denied).',
      );
    });

    it('counts again from zero after a sign-in succeeds', async () => {
      const child = new FakeMcpRemote();
      const { outcome } = supervise(child, { hadTokens: true });
      for (let round = 0; round < 3; round++) {
        child.startSignIn();
        child.say('Re-authorized with the remote server');
      }
      child.exit(0);

      const { error, exitCode } = await outcome;
      expect(error).toBeUndefined();
      expect(exitCode).toBe(0);
    });
  });

  describe('other instances', () => {
    it('waits for a sign-in another bridge is running, and stops if it never ends', async () => {
      const child = new FakeMcpRemote();
      const { said, outcome } = supervise(child, {});
      child.say('Another instance is running the sign-in for this server on port 8734');
      child.say(
        'Fatal error: Error: Authentication is still pending in another instance on port 8734.',
      );

      const { error } = await outcome;
      expect(said[0]).toStartWith('another folio-bridge is already signing in');
      expect(error?.code).toBe('sign_in_elsewhere');
    });
  });

  it('reports an unreachable server before connecting as the reason it stopped', async () => {
    const child = new FakeMcpRemote();
    const { outcome } = supervise(child, {});
    child.say('Fatal error: TypeError: fetch failed', '  [cause]: Error: connect ECONNREFUSED');

    const { error } = await outcome;
    expect(error?.code).toBe('unreachable');
    expect(error?.message).toContain('cannot reach https://docs.example.com (ECONNREFUSED)');
  });
});
