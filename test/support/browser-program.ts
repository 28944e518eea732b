/**
 * A headless stand-in for the person at the browser, run as `$BROWSER <url>` by clients that
 * open the authorization URL themselves (mcp-remote through the `open` package's xdg-open).
 * It signs up or in and consents with the account in FOLIO_TEST_EMAIL, FOLIO_TEST_PASSWORD and
 * FOLIO_TEST_SIGNUP, then delivers the redirect to the client's loopback listener. What it did
 * goes to FOLIO_TEST_BROWSER_LOG, one line per step, never a code, state or token.
 */
import { appendFileSync } from 'node:fs';
import { Browser } from './browser.ts';

const CALLBACK_PATIENCE_MS = 10_000;
// The `open` package starts us in a session of our own, out of reach of the test's group kill.
const OVERALL_DEADLINE_MS = 30_000;

const logPath = process.env.FOLIO_TEST_BROWSER_LOG;

function note(line: string): void {
  const stamped = `${new Date().toISOString()} [${process.pid}] ${line}\n`;
  if (logPath) appendFileSync(logPath, stamped);
  else process.stderr.write(stamped);
}

/** Drops query strings and form values, where codes, states and CSRF tokens live. */
function redact(text: string): string {
  return text
    .replace(/\?[^\s"'<]*/g, '?…')
    .replace(/value="[^"]*"/g, 'value="…"')
    .replace(/\s+/g, ' ');
}

function readAccount() {
  const email = process.env.FOLIO_TEST_EMAIL;
  const password = process.env.FOLIO_TEST_PASSWORD;
  if (!email || !password) {
    throw new Error('FOLIO_TEST_EMAIL and FOLIO_TEST_PASSWORD must be set');
  }
  return { email, password, signUp: process.env.FOLIO_TEST_SIGNUP === '1' };
}

function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) && url.protocol === 'http:';
}

function isRefused(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code === 'ConnectionRefused' || code === 'ECONNREFUSED';
}

/** mcp-remote can open the browser before its callback listener is up: retry a refusal. */
async function deliverCallback(callback: URL): Promise<Response> {
  const deadline = Date.now() + CALLBACK_PATIENCE_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(callback, { redirect: 'manual' });
    } catch (error) {
      if (!isRefused(error) || Date.now() > deadline) throw error;
      note(`callback refused (attempt ${attempt}), retrying`);
      await Bun.sleep(250);
    }
  }
}

async function run(url: string): Promise<void> {
  const authorizationUrl = new URL(url);
  const account = readAccount();
  note(
    `open ${authorizationUrl.origin}${authorizationUrl.pathname} ` +
      `client_id=${authorizationUrl.searchParams.get('client_id')} ` +
      `scope=${JSON.stringify(authorizationUrl.searchParams.get('scope'))} ` +
      `resource=${authorizationUrl.searchParams.get('resource')} ` +
      `redirect_uri=${authorizationUrl.searchParams.get('redirect_uri')}`,
  );

  const browser = new Browser(authorizationUrl.origin);
  const callback = await browser.authorize(url, account);
  const verb = account.signUp ? 'signed up' : 'signed in';
  const received = [...callback.searchParams.keys()].join(',');
  note(`${verb} and consented; back to ${callback.origin}${callback.pathname} with ${received}`);

  if (!isLoopback(callback)) {
    throw new Error(`redirect is not to a loopback listener: ${callback.origin}`);
  }
  if (!callback.searchParams.has('code')) throw new Error('redirect carries no code');

  const response = await deliverCallback(callback);
  note(`callback answered ${response.status}`);
  if (!response.ok) throw new Error(`callback answered ${response.status}`);
}

const [url] = process.argv.slice(2);
setTimeout(() => {
  note(`gave up after ${OVERALL_DEADLINE_MS} ms`);
  process.exit(1);
}, OVERALL_DEADLINE_MS).unref();
try {
  if (!url) throw new Error('usage: browser-program <url>');
  await run(url);
  note('done');
} catch (error) {
  note(`failed: ${redact(error instanceof Error ? error.message : String(error))}`);
  process.exit(1);
}
