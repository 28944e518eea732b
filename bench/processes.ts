import type { Subprocess } from 'bun';

/** A server the bench started in a process of its own, with its memory read from /proc. */
export type ServerProcess = {
  origin: string;
  pid: number;
  /** Resident set size now, in bytes. */
  readRss(): number;
  stop(): Promise<void>;
};

export function findFreePort(): number {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = probe.port as number;
  probe.stop(true);
  return port;
}

export function readRss(pid: number): number {
  try {
    const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kib ? Number(kib) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Starts `command` and waits (at most `timeoutMs`) for `ready <port>` on its stderr. */
export async function startServer(
  command: string[],
  env: Record<string, string>,
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const child = Bun.spawn(command, {
    cwd: options.cwd,
    env: { ...process.env, ...env },
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
  });
  const port = await waitForLine(child, /^ready (\d+)$/m, options.timeoutMs ?? 30_000);
  return {
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid,
    readRss: () => readRss(child.pid),
    stop: () => stopProcess(child),
  };
}

async function waitForLine(child: Subprocess, pattern: RegExp, timeoutMs: number) {
  const stderr = child.stderr as ReadableStream<Uint8Array>;
  const reader = stderr.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  const deadline = setTimeout(() => child.kill(), timeoutMs);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`server exited before it was ready: ${seen.slice(-2000)}`);
      seen += decoder.decode(value);
      const match = pattern.exec(seen);
      if (match) {
        // Keep draining stderr so the child never blocks on a full pipe.
        drain(reader);
        return match[1] as string;
      }
    }
  } finally {
    clearTimeout(deadline);
  }
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>) {
  try {
    while (!(await reader.read()).done) {}
  } catch {}
}

export async function stopProcess(child: Subprocess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await child.exited;
  clearTimeout(timer);
}
