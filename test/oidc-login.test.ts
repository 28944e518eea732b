import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { eq } from 'drizzle-orm';
import { authorizationCodes, identities, users } from '../src/storage/schema.ts';
import { Browser } from './support/browser.ts';
import { allow, countRows } from './support/federated.ts';
import { type RunningFolio, startFolio } from './support/folio.ts';
import { buildAuthorizationUrl, createPkce, registerPublic } from './support/oauth.ts';
import { signInUpstream, startOidcUpstream } from './support/oidc-upstream.ts';
import { allToolNames, connectWithOAuth, TestOAuthProvider } from './support/sdk-client.ts';

/**
 * Sign-in through a real, certified OpenID provider (`oidc-provider`) on loopback, with
 * passwords switched off: discovery, the code flow with PKCE and a nonce, the ID token checked
 * against the provider's JWKS, and an MCP client's whole flow on top.
 */
let upstream: Awaited<ReturnType<typeof startOidcUpstream>>;
let folio: RunningFolio;

beforeAll(async () => {
  upstream = await startOidcUpstream([
    { login: 'ada', email: 'ada@example.com' },
    { login: 'bob', email: 'bob@example.com' },
    { login: 'unverified', email: 'mallory@example.com', emailVerified: false },
  ]);
  folio = await startFolio({ env: { ...upstream.env, LOCAL_ACCOUNTS: 'off' } });
  await upstream.acceptFolio(folio.origin);
});
afterAll(async () => {
  await folio.close();
  await upstream.stop();
});

/** The MCP SDK's OAuth client, with a person who approves in Folio and signs in upstream. */
class UpstreamOAuthProvider extends TestOAuthProvider {
  constructor(
    private readonly folioBrowser: Browser,
    private readonly login: string,
  ) {
    super(folioBrowser, { email: '', password: '' });
  }

  override async redirectToAuthorization(url: URL) {
    this.lastAuthorizationUrl = url;
    const consent = await this.folioBrowser.visit(url.href);
    const toProvider = await allow(this.folioBrowser, consent);
    const back = await signInUpstream(toProvider.url, this.login);
    const done = await this.folioBrowser.visit(back);
    const code = new URL(done.url).searchParams.get('code');
    if (!code) throw new Error(`no code: ${done.url} ${done.html.slice(0, 300)}`);
    this.code = code;
  }
}

describe('sign-in through an OpenID provider', () => {
  it('connects an MCP SDK client: approval, upstream sign-in, code, tokens and tools', async () => {
    const provider = new UpstreamOAuthProvider(new Browser(folio.origin), 'ada');
    const client = await connectWithOAuth(folio.mcpUrl, provider);

    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name).sort()).toEqual(allToolNames);
    const created = await client.callTool({
      name: 'create_document',
      arguments: { title: 'Signed in upstream', body: 'Through the OpenID provider.' },
    });
    expect(created.isError).toBeFalsy();
    await client.close();

    const user = folio.storage.db.select().from(users).where(eq(users.email, 'ada@example.com'));
    const account = user.get();
    expect(account?.passwordHash).toBeNull();
    const identity = folio.storage.db
      .select()
      .from(identities)
      .where(eq(identities.userId, account?.id ?? ''))
      .get();
    expect(identity?.provider).toBe('oidc');
    expect(identity?.issuer).toBe(upstream.issuer);
    expect(identity?.subject).toBe('ada');
  });

  it('goes straight to the provider from /signin when it is the only way in', async () => {
    const page = await new Browser(folio.origin).visit(`${folio.origin}/signin`);
    const url = new URL(page.url);
    expect(url.origin).toBe(upstream.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('scope')).toBe('openid email profile');
  });

  it('refuses the password form when LOCAL_ACCOUNTS is off', async () => {
    const response = await fetch(`${folio.origin}/signup`);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Passwords are switched off');
  });

  it('refuses an email the provider has not verified, and creates nothing for it', async () => {
    const browser = new Browser(folio.origin);
    const toProvider = await browser.visit(`${folio.origin}/login/oidc`);
    const page = await browser.visit(await signInUpstream(toProvider.url, 'unverified'));

    expect(page.status).toBe(403);
    expect(page.html).toContain('Test Identity has not verified your email');
    const found = folio.storage.db
      .select()
      .from(users)
      .where(eq(users.email, 'mallory@example.com'))
      .get();
    expect(found).toBeUndefined();
  });

  it('gives no code to a client approved in another browser', async () => {
    const redirectUri = 'https://evil.example/callback';
    const { client_id } = await registerPublic(folio, [redirectUri]);
    const url = buildAuthorizationUrl(folio, {
      clientId: client_id,
      redirectUri,
      challenge: createPkce().challenge,
    });
    const attacker = new Browser(folio.origin);
    const toProvider = await allow(attacker, await attacker.visit(url));
    const codesBefore = countRows(folio, authorizationCodes);

    const victim = new Browser(folio.origin);
    const page = await victim.visit(await signInUpstream(toProvider.url, 'bob'));
    expect(new URL(page.url).origin).toBe(folio.origin);
    expect(page.html).toContain('could not tie your sign-in to this browser');
    expect(countRows(folio, authorizationCodes)).toBe(codesBefore);
  });
});
