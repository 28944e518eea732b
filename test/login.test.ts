import { afterEach, describe, expect, it } from 'bun:test';
import { count } from 'drizzle-orm';
import { Elysia } from 'elysia';
import { loadConfig } from '../src/config.ts';
import type { AppContext } from '../src/context.ts';
import { createDocument } from '../src/documents/index.ts';
import { renderError } from '../src/http/on-error.ts';
import {
  createRateLimits,
  defaultRateLimits,
  type RateLimitOptions,
} from '../src/http/rate-limit.ts';
import { createLogger, silentLogger } from '../src/log.ts';
import { createUser, findUserByEmail } from '../src/login/accounts.ts';
import { createHomeRoutes } from '../src/login/home.ts';
import { createLoginRoutes } from '../src/login/routes.ts';
import { findSignedInUser } from '../src/login/session.ts';
import { openStorage } from '../src/storage/database.ts';
import { browserSessions, users } from '../src/storage/schema.ts';

const password = 'correct horse battery';
let harness: Harness;

function start(options?: HarnessOptions): Harness {
  harness = startHarness(options);
  return harness;
}

afterEach(() => harness?.stop());

function countRows(table: typeof users | typeof browserSessions): number {
  return harness.ctx.db.select({ total: count() }).from(table).get()?.total ?? 0;
}

describe('POST /signup', () => {
  it('creates the account and sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const browser = start().browser();
    const response = await browser.signUp('Ann@Example.com', password);

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const cookie = response.headers
      .getSetCookie()
      .find((line) => line.startsWith('folio_session='));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    expect(findUserByEmail(harness.ctx.db, 'ann@example.com')).toBeDefined();
  });

  it('uses the __Host- prefix and Secure when PUBLIC_URL is https', async () => {
    const browser = start({ env: { PUBLIC_URL: 'https://docs.example.com' } }).browser();
    const response = await browser.signUp('ann@example.com', password);

    expect(response.status).toBe(303);
    const cookie = response.headers
      .getSetCookie()
      .find((line) => line.startsWith('__Host-folio_session='));
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
  });

  it('stores the session id only as a hash', async () => {
    const browser = start().browser();
    await browser.signUp('ann@example.com', password);

    const sessionId = browser.cookies.get('folio_session') ?? '';
    const row = harness.ctx.db.select().from(browserSessions).get();
    expect(row?.idHash).toBeDefined();
    expect(row?.idHash).not.toBe(sessionId);
  });

  it('refuses a second account for the same email, whatever its case', async () => {
    start();
    await harness.browser().signUp('ann@example.com', password);
    const response = await harness.browser().signUp(' ANN@example.com', password);

    expect(response.status).toBe(409);
    expect(await response.text()).toContain('already exists');
    expect(countRows(users)).toBe(1);
  });

  it('refuses a password shorter than 8 characters, naming the field', async () => {
    const response = await start().browser().signUp('ann@example.com', 'short');

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('password must be 8 to 1024 characters');
    expect(countRows(users)).toBe(0);
  });

  it('refuses an email with markup in it', async () => {
    const response = await start().browser().signUp('"><script>@example.com', password);

    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('<script>');
    expect(countRows(users)).toBe(0);
  });
});

describe('sign-up closed', () => {
  it('answers GET /signup with 403', async () => {
    const response = await start({ env: { SIGNUP: 'closed' } })
      .browser()
      .get('/signup');

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Sign-up is closed');
  });

  it('creates no account on POST /signup', async () => {
    const browser = start({ env: { SIGNUP: 'closed' } }).browser();
    const csrf_token = await browser.readCsrfToken('/signin');
    const response = await browser.post('/signup', { csrf_token, email: 'a@b.co', password });

    expect(response.status).toBe(403);
    expect(countRows(users)).toBe(0);
  });
});

describe('POST /signin', () => {
  it('signs in and redirects with 303 to a local return_to', async () => {
    start();
    await createUser(harness.ctx.db, 'ann@example.com', password, harness.ctx.now());
    const browser = harness.browser();
    const returnTo = '/authorize?client_id=abc&state=x%20y&redirect_uri=https%3A%2F%2Fc.example';

    const page = await (
      await browser.get(`/signin?return_to=${encodeURIComponent(returnTo)}`)
    ).text();
    expect(page).toContain(`name="return_to" value="${returnTo.replaceAll('&', '&amp;')}"`);

    const response = await browser.signIn('ann@example.com', password, returnTo);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(returnTo);
    expect(browser.cookies.has('folio_session')).toBe(true);
  });

  it('answers a wrong password with 401 and one generic message, keeping the email', async () => {
    start();
    await createUser(harness.ctx.db, 'ann@example.com', password, harness.ctx.now());
    const response = await harness.browser().signIn('ann@example.com', 'wrong password');

    expect(response.status).toBe(401);
    const page = await response.text();
    expect(page).toContain('The email or password is wrong.');
    expect(page).toContain('value="ann@example.com"');
    expect(response.headers.getSetCookie().some((line) => line.includes('folio_session'))).toBe(
      false,
    );
  });

  it('gives an unknown email the same answer as a wrong password', async () => {
    const response = await start().browser().signIn('nobody@example.com', password);

    expect(response.status).toBe(401);
    expect(await response.text()).toContain('The email or password is wrong.');
  });

  it('escapes a hostile email when re-rendering the form', async () => {
    const hostile = '"><script>alert(1)</script>@example.com';
    const response = await start().browser().signIn(hostile, password);

    const page = await response.text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@example.com');
  });

  it('rate-limits attempts on one account with a 429 page', async () => {
    start({
      rateLimits: {
        register: { perAddress: 1, perSubject: 1 },
        authorize: { perAddress: 1, perSubject: 1 },
        token: { perAddress: 1, perSubject: 1 },
        signin: { perAddress: 100, perSubject: 2 },
      },
    });
    const browser = harness.browser();
    await browser.signIn('ann@example.com', 'guess one');
    await browser.signIn('ann@example.com', 'guess two');
    const response = await browser.signIn('ann@example.com', 'guess three');

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeTruthy();
  });

  it('logs outcomes by user id and reason, never the email or password', async () => {
    start();
    const account = await createUser(harness.ctx.db, 'ann@example.com', password, 0);
    await harness.browser().signIn('ann@example.com', 'wrong password');
    await harness.browser().signIn('ann@example.com', password);

    const events = harness.logLines.map((line) => JSON.parse(line));
    expect(events).toContainEqual(
      expect.objectContaining({ event: 'signin.failed', reason: 'bad_credentials' }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ event: 'signin.succeeded', user_id: account.id }),
    );
    const log = harness.logLines.join('\n');
    expect(log).not.toContain('ann@example.com');
    expect(log).not.toContain(password);
    expect(log).not.toContain('wrong password');
  });
});

describe('return_to', () => {
  const attempts = [
    '//evil.example',
    '//evil.example/authorize',
    'https://evil.example',
    '/\\evil.example',
    '/\t/evil.example',
    'javascript:alert(1)',
    'authorize',
  ];

  for (const attempt of attempts) {
    it(`sends ${JSON.stringify(attempt)} to "/" instead`, async () => {
      start();
      await createUser(harness.ctx.db, 'ann@example.com', password, 0);
      const response = await harness.browser().signIn('ann@example.com', password, attempt);

      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/');
    });
  }

  it('renders a hostile query return_to as "/" in the form', async () => {
    const page = await (await start().browser().get('/signin?return_to=%2F%2Fevil.example')).text();

    expect(page).toContain('name="return_to" value="/"');
    expect(page).not.toContain('evil.example');
  });
});

describe('CSRF', () => {
  it('refuses a POST without a token and creates nothing', async () => {
    const browser = start().browser();
    const response = await browser.post('/signup', { email: 'ann@example.com', password });

    expect(response.status).toBe(403);
    expect(countRows(users)).toBe(0);
  });

  it('refuses a POST with a token that does not match the cookie', async () => {
    const browser = start().browser();
    await browser.readCsrfToken('/signup');
    const forged = 'A'.repeat(43);
    const response = await browser.post('/signup', {
      csrf_token: forged,
      email: 'ann@example.com',
      password,
    });

    expect(response.status).toBe(403);
    expect(countRows(users)).toBe(0);
  });

  it('refuses a cross-site Origin even with a valid token', async () => {
    const browser = start().browser();
    const csrf_token = await browser.readCsrfToken('/signup');
    const response = await browser.post(
      '/signup',
      { csrf_token, email: 'ann@example.com', password },
      { origin: 'https://evil.example' },
    );

    expect(response.status).toBe(403);
    expect(countRows(users)).toBe(0);
  });

  it('refuses Sec-Fetch-Site: cross-site on sign-in', async () => {
    start();
    await createUser(harness.ctx.db, 'ann@example.com', password, 0);
    const browser = harness.browser();
    const csrf_token = await browser.readCsrfToken('/signin');
    const response = await browser.post(
      '/signin',
      { csrf_token, email: 'ann@example.com', password },
      { 'sec-fetch-site': 'cross-site' },
    );

    expect(response.status).toBe(403);
    expect(countRows(browserSessions)).toBe(0);
  });
});

describe('POST /signout', () => {
  it('ends the session server-side so the old cookie no longer works', async () => {
    const browser = start().browser();
    await browser.signUp('ann@example.com', password);
    const oldCookie = browser.cookies.get('folio_session') ?? '';
    const csrf_token = await browser.readCsrfToken('/signin');

    const response = await browser.post('/signout', { csrf_token });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(browser.cookies.has('folio_session')).toBe(false);
    expect(countRows(browserSessions)).toBe(0);

    const replay = harness.browser();
    replay.cookies.set('folio_session', oldCookie);
    expect(await (await replay.get('/')).text()).not.toContain('Sign out');
  });

  it('refuses a sign-out without the CSRF token', async () => {
    const browser = start().browser();
    await browser.signUp('ann@example.com', password);
    const response = await browser.post('/signout', {});

    expect(response.status).toBe(403);
    expect(countRows(browserSessions)).toBe(1);
  });
});

describe('sessions', () => {
  it('refuses and deletes a session past its 30 days', async () => {
    const browser = start().browser();
    await browser.signUp('ann@example.com', password);
    const request = new Request('http://localhost/', {
      headers: { cookie: `folio_session=${browser.cookies.get('folio_session')}` },
    });
    expect(findSignedInUser(harness.ctx, request)?.email).toBe('ann@example.com');

    harness.advance(30 * 86400 * 1000 + 1);
    expect(findSignedInUser(harness.ctx, request)).toBeNull();
    expect(countRows(browserSessions)).toBe(0);
  });
});

describe('GET /', () => {
  it('shows what Folio is and links to sign in and sign up when signed out', async () => {
    const page = await (await start().browser().get('/')).text();

    expect(page).toContain('href="/signin"');
    expect(page).toContain('href="/signup"');
    expect(page).not.toContain('Sign out');
  });

  it('shows the email, MCP URL, document count and a sign-out form when signed in', async () => {
    const browser = start().browser();
    await browser.signUp("o'brien&co@example.com", password);
    const user = findUserByEmail(harness.ctx.db, "o'brien&co@example.com");
    const options = { maxBytes: 1024, now: 0 };
    createDocument(harness.ctx.db, user?.id ?? '', { title: 'One', body: 'x' }, options);
    createDocument(harness.ctx.db, user?.id ?? '', { title: 'Two', body: 'y' }, options);

    const page = await (await browser.get('/')).text();
    expect(page).toContain('o&#39;brien&amp;co@example.com');
    expect(page).toContain(harness.ctx.config.mcpUrl);
    expect(page).toContain('<dd>2</dd>');
    expect(page).toContain('action="/signout"');
    expect(page).toContain('name="csrf_token"');
  });
});

describe('GET /documents/:id', () => {
  async function createOwnedDocument() {
    const owner = harness.browser();
    await owner.signUp('ann@example.com', password);
    const user = findUserByEmail(harness.ctx.db, 'ann@example.com');
    const document = createDocument(
      harness.ctx.db,
      user?.id ?? '',
      { title: 'Plans <b>', body: '<img src=x onerror=alert(1)>\nline two' },
      { maxBytes: 1024, now: 0 },
    );
    return { owner, document };
  }

  it('shows the owner the title and body, escaped, in a <pre>', async () => {
    start();
    const { owner, document } = await createOwnedDocument();
    const response = await owner.get(`/documents/${document.id}`);

    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<h1>Plans &lt;b&gt;</h1>');
    expect(page).toContain('<pre>&lt;img src=x onerror=alert(1)&gt;\nline two</pre>');
  });

  it('answers another signed-in user with a 404 that does not show the document', async () => {
    start();
    const { document } = await createOwnedDocument();
    const other = harness.browser();
    await other.signUp('bob@example.com', password);
    const response = await other.get(`/documents/${document.id}`);

    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('Plans');
  });

  it('answers a signed-out visitor with a 404 linking to sign in and back', async () => {
    start();
    const { document } = await createOwnedDocument();
    const response = await harness.browser().get(`/documents/${document.id}`);

    expect(response.status).toBe(404);
    const page = await response.text();
    expect(page).not.toContain('Plans');
    expect(page).toContain(`/signin?return_to=${encodeURIComponent(`/documents/${document.id}`)}`);
  });
});

/**
 * The login and home routes on a real loopback listener, without the rest of the app (whose
 * security headers and request log are tested with app.ts).
 */

type Harness = {
  ctx: AppContext;
  logLines: string[];
  /** Moves the injected clock forward. */
  advance(milliseconds: number): void;
  browser(): Browser;
  stop(): void;
};

type HarnessOptions = {
  env?: Record<string, string>;
  rateLimits?: RateLimitOptions;
};

function startHarness(options: HarnessOptions = {}): Harness {
  const storage = openStorage(':memory:');
  const logLines: string[] = [];
  let clock = Date.UTC(2025, 0, 1);
  const ctx: AppContext = {
    config: loadConfig({ PORT: '8787', ...options.env }),
    storage,
    db: storage.db,
    logger: createLogger('debug', (line) => logLines.push(line)),
    rateLimits: createRateLimits(options.rateLimits ?? defaultRateLimits),
    now: () => clock,
  };

  const app = new Elysia()
    .onError(({ error, request }) => renderError(error, request, silentLogger))
    .use(createLoginRoutes(ctx))
    .use(createHomeRoutes(ctx));
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: (request) => app.handle(request),
  });
  const base = `http://127.0.0.1:${server.port}`;

  return {
    ctx,
    logLines,
    advance: (milliseconds) => {
      clock += milliseconds;
    },
    browser: () => new Browser(base),
    stop: () => {
      server.stop(true);
      storage.close();
    },
  };
}

/** fetch with a cookie jar and no redirect following, like a browser tab we can inspect. */
class Browser {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(path, { headers });
  }

  async post(
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return this.send(path, { method: 'POST', body: new URLSearchParams(fields), headers });
  }

  /** Loads a form page and returns the CSRF token in its hidden field. */
  async readCsrfToken(path = '/signin'): Promise<string> {
    const page = await (await this.get(path)).text();
    const token = /name="csrf_token" value="([^"]+)"/.exec(page)?.[1];
    if (!token) throw new Error(`no csrf_token field on ${path}`);
    return token;
  }

  async signUp(email: string, password: string): Promise<Response> {
    const csrf_token = await this.readCsrfToken('/signup');
    return this.post('/signup', { csrf_token, email, password });
  }

  async signIn(email: string, password: string, returnTo?: string): Promise<Response> {
    const csrf_token = await this.readCsrfToken('/signin');
    const fields: Record<string, string> = { csrf_token, email, password };
    if (returnTo !== undefined) fields.return_to = returnTo;
    return this.post('/signin', fields);
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set(
        'cookie',
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    }
    const response = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (/Max-Age=0(;|$)/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}
