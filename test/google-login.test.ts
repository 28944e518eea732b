import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { eq } from 'drizzle-orm';
import { createUser, verifyCredentials } from '../src/login/accounts.ts';
import { identities, users } from '../src/storage/schema.ts';
import { Browser } from './support/browser.ts';
import { countRows, googleCredentials, googleEnv } from './support/federated.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import { interceptGoogle } from './support/google-edge.ts';
import { exchange, obtainCode, signUp, testAccount } from './support/oauth.ts';

/**
 * Sign in with Google, with Google's endpoints answered at the network edge (see
 * google-edge.ts): success, an unverified email, a cancelled consent, errors from Google, a
 * replayed state, and who may sign in.
 */
let edge: Awaited<ReturnType<typeof interceptGoogle>>;
let folio: RunningFolio;

beforeAll(async () => {
  edge = await interceptGoogle(googleCredentials);
});
afterAll(() => edge.restore());
afterEach(() => folio?.close());

const ada = { sub: '1078', email: 'ada@example.com' };

async function start(env: Record<string, string> = {}) {
  folio = await startFolio({ env: { ...googleEnv, ...env } });
  return folio;
}

/** Opens /login/google in `browser` and returns the URL it is sent to at Google. */
async function goToGoogle(browser: Browser, returnTo = '/') {
  const page = await browser.visit(
    `${folio.origin}/login/google?return_to=${encodeURIComponent(returnTo)}`,
  );
  expect(new URL(page.url).origin).toBe('https://accounts.google.com');
  return page.url;
}

describe('GET /login/google', () => {
  it('sends the browser to Google with state, PKCE S256, a nonce and three scopes', async () => {
    await start();
    const url = new URL(await goToGoogle(new Browser(folio.origin)));

    expect(url.searchParams.get('scope')).toBe('openid email profile');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('redirect_uri')).toBe(`${folio.origin}/login/google/callback`);
    expect(url.searchParams.get('client_id')).toBe(googleCredentials.clientId);
  });

  it('lists every provider, and no password form, when LOCAL_ACCOUNTS is off', async () => {
    await start({
      LOCAL_ACCOUNTS: 'off',
      OIDC_ISSUER: 'https://id.example.com',
      OIDC_CLIENT_ID: 'folio',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_NAME: 'Keycloak',
    });
    const page = await new Browser(folio.origin).visit(`${folio.origin}/signin`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Continue with Google');
    expect(page.html).toContain('Continue with Keycloak');
    expect(page.html).not.toContain('name="password"');
  });

  it('is listed on the sign-in page next to the password form', async () => {
    await start();
    const page = await new Browser(folio.origin).visit(`${folio.origin}/signin`);
    expect(page.html).toContain('Continue with Google');
    expect(page.html).toContain('name="password"');
  });
});

describe('GET /login/google/callback', () => {
  it('signs in a verified Google account, creating one user with a google identity', async () => {
    await start();
    const browser = new Browser(folio.origin);
    const back = edge.approve(await goToGoogle(browser, '/connections'), ada);
    const page = await browser.visit(back);

    expect(new URL(page.url).pathname).toBe('/connections');
    expect((await browser.visit(`${folio.origin}/`)).html).toContain('ada@example.com');
    const identity = folio.storage.db.select().from(identities).get();
    expect(identity?.provider).toBe('google');
    expect(identity?.issuer).toBe('https://accounts.google.com');
    expect(identity?.subject).toBe('1078');
    expect(countRows(folio, users)).toBe(1);
  });

  it('refuses an email Google has not verified, and creates nothing', async () => {
    await start();
    const browser = new Browser(folio.origin);
    const back = edge.approve(await goToGoogle(browser), { ...ada, emailVerified: false });
    const page = await browser.visit(back);

    expect(page.status).toBe(403);
    expect(page.html).toContain('has not verified your email');
    expect(countRows(folio, users)).toBe(0);
    expect(countRows(folio, identities)).toBe(0);
  });

  it('shows a clear page when the person cancels at Google (access_denied)', async () => {
    await start();
    const browser = new Browser(folio.origin);
    const before = edge.tokenRequests;
    const page = await browser.visit(edge.refuse(await goToGoogle(browser)));

    expect(page.status).toBe(403);
    expect(page.html).toContain('Sign-in cancelled');
    expect(edge.tokenRequests).toBe(before);
    expect(countRows(folio, users)).toBe(0);
  });

  it('shows a clear page, naming the code, when Google answers with an error', async () => {
    await start();
    const browser = new Browser(folio.origin);
    const page = await browser.visit(edge.refuse(await goToGoogle(browser), 'server_error'));

    expect(page.status).toBe(502);
    expect(page.html).toContain('Google could not sign you in (server_error)');
  });

  it('shows a clear page when Google refuses the code at its token endpoint', async () => {
    await start();
    const browser = new Browser(folio.origin);
    const back = new URL(edge.approve(await goToGoogle(browser), ada));
    back.searchParams.set('code', '4/0not-a-code-google-issued');
    const page = await browser.visit(back.href);

    expect(page.status).toBe(502);
    expect(page.html).toContain('could not confirm your sign-in with Google');
    expect(page.html).not.toContain('4/0not-a-code');
    expect(countRows(folio, users)).toBe(0);
  });

  it('refuses a replayed state with a clear page and never redeems the code twice', async () => {
    await start();
    const browser = new Browser(folio.origin);
    const back = edge.approve(await goToGoogle(browser), ada);
    await browser.visit(back);
    const before = edge.tokenRequests;

    const replay = await new Browser(folio.origin).visit(back);
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('expired or was already used');
    expect(edge.tokenRequests).toBe(before);
  });

  it('refuses a state Folio never issued', async () => {
    await start();
    const page = await new Browser(folio.origin).visit(
      `${folio.origin}/login/google/callback?state=${'x'.repeat(43)}&code=4/0abc`,
    );
    expect(page.status).toBe(400);
    expect(page.html).toContain('expired or was already used');
  });

  it('refuses a state older than ten minutes', async () => {
    let now = Date.now();
    folio = await startFolio({ env: googleEnv, now: () => now });
    const browser = new Browser(folio.origin);
    const back = edge.approve(await goToGoogle(browser), ada);
    now += 10 * 60 * 1000 + 1;

    const page = await browser.visit(back);
    expect(page.status).toBe(400);
    expect(countRows(folio, users)).toBe(0);
  });

  it('does not sign in a browser with a callback it never started (login CSRF)', async () => {
    await start();
    const attacker = new Browser(folio.origin);
    const back = edge.approve(await goToGoogle(attacker), { sub: '666', email: 'eve@example.com' });

    const victim = new Browser(folio.origin);
    const page = await victim.visit(back);
    expect(page.status).toBe(400);
    expect(page.html).toContain('did not start this sign-in');
    expect(victim.cookieHeader()).not.toContain('folio_session');
    expect(countRows(folio, users)).toBe(0);
  });
});

describe('who may sign in with Google', () => {
  it('refuses an email outside ALLOWED_DOMAINS and creates nothing', async () => {
    await start({ ALLOWED_DOMAINS: 'family.example' });
    const browser = new Browser(folio.origin);
    const page = await browser.visit(edge.approve(await goToGoogle(browser), ada));

    expect(page.status).toBe(403);
    expect(page.html).toContain('not open to your email address');
    expect(countRows(folio, users)).toBe(0);
    expect(countRows(folio, identities)).toBe(0);
  });

  it('admits an email named in ALLOWED_EMAILS even outside ALLOWED_DOMAINS', async () => {
    await start({ ALLOWED_DOMAINS: 'family.example', ALLOWED_EMAILS: 'Ada@Example.com' });
    const browser = new Browser(folio.origin);
    const page = await browser.visit(edge.approve(await goToGoogle(browser), ada));

    expect(page.status).toBe(200);
    expect(countRows(folio, users)).toBe(1);
  });

  it('refuses a new person when SIGNUP=closed, and creates nothing', async () => {
    await start({ SIGNUP: 'closed' });
    const browser = new Browser(folio.origin);
    const page = await browser.visit(edge.approve(await goToGoogle(browser), ada));

    expect(page.status).toBe(403);
    expect(page.html).toContain('does not accept new accounts');
    expect(countRows(folio, users)).toBe(0);
  });

  it('links Google to the local account with the same email, keeping one user', async () => {
    await start({ SIGNUP: 'closed' });
    // Made as `folio users add` makes it: sign-up is closed.
    const local = await createUser(
      folio.storage.db,
      testAccount.email,
      'a long password',
      0,
      'operator',
    );

    const browser = new Browser(folio.origin);
    const google = { sub: '2001', email: testAccount.email.toUpperCase() };
    const page = await browser.visit(edge.approve(await goToGoogle(browser), google));

    expect(page.status).toBe(200);
    expect(countRows(folio, users)).toBe(1);
    const linked = folio.storage.db
      .select()
      .from(identities)
      .where(eq(identities.userId, local.id))
      .all()
      .map((row) => row.provider)
      .sort();
    expect(linked).toEqual(['google', 'password']);
    const home = await browser.visit(`${folio.origin}/`);
    expect(home.html).toContain('<dt>Signs in with</dt><dd>Google, password</dd>');
  });

  it('ends an unproven password, its sessions and codes when Google verifies the email', async () => {
    await start();
    // Someone signs up with the victim's email before the victim ever uses Folio, and keeps
    // an authorization code in hand for later.
    const squatter = new Browser(folio.origin);
    await signUp(squatter);
    expect((await squatter.visit(`${folio.origin}/`)).html).toContain(testAccount.email);
    const pending = await obtainCode(folio, squatter);

    const victim = new Browser(folio.origin);
    const google = { sub: '3003', email: testAccount.email };
    expect((await victim.visit(edge.approve(await goToGoogle(victim), google))).status).toBe(200);

    expect(countRows(folio, users)).toBe(1);
    expect(await verifyCredentials(folio.storage.db, testAccount.email, testAccount.password)).toBe(
      null,
    );
    expect((await squatter.visit(`${folio.origin}/`)).html).not.toContain(testAccount.email);
    expect((await exchange(folio, pending)).body.error).toBe('invalid_grant');
    expect((await victim.visit(`${folio.origin}/`)).html).toContain(
      '<dt>Signs in with</dt><dd>Google</dd>',
    );
  });

  it('keeps the library when the same person signs in again with Google', async () => {
    await start();
    await signUp(new Browser(folio.origin));
    for (let round = 0; round < 2; round++) {
      const browser = new Browser(folio.origin);
      const google = { sub: '2002', email: testAccount.email };
      await browser.visit(edge.approve(await goToGoogle(browser), google));
    }
    expect(countRows(folio, users)).toBe(1);
    // The self-signed-up password proved nothing about the email, so Google replaced it.
    expect(countRows(folio, identities)).toBe(1);
  });
});

describe('who may sign in with a password', () => {
  it('refuses a sign-up outside ALLOWED_DOMAINS and creates nothing', async () => {
    folio = await startFolio({ env: { ALLOWED_DOMAINS: 'family.example' } });
    const browser = new Browser(folio.origin);
    const page = await browser.submit(await browser.visit(`${folio.origin}/signup`), testAccount);

    expect(page.status).toBe(403);
    expect(page.html).toContain('not open to this email address');
    expect(countRows(folio, users)).toBe(0);
  });

  it('refuses a password sign-in outside the lists, without a session', async () => {
    folio = await startFolio({ env: { ALLOWED_EMAILS: 'someone@family.example' } });
    await createUser(folio.storage.db, testAccount.email, testAccount.password, 0);
    const browser = new Browser(folio.origin);
    const page = await browser.submit(await browser.visit(`${folio.origin}/signin`), testAccount);

    expect(page.status).toBe(403);
    expect(page.html).toContain('not open to this email address');
    expect(browser.cookieHeader()).not.toContain('folio_session');
  });
});
