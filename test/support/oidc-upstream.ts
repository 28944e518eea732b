import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Browser } from './browser.ts';

/** A person at the OpenID provider: the login they type and the claims the provider holds. */
export type UpstreamAccount = { login: string; email: string; emailVerified?: boolean };

/**
 * A certified OpenID provider (`oidc-provider`) on a random loopback port, as the upstream of
 * Folio's OpenID sign-in. Its development login and consent pages accept any password; the
 * accounts passed in decide the claims. Its issuer exists before Folio starts, and the client
 * (Folio, with its callback) is added once Folio's port is known.
 */
export async function startOidcUpstream(
  accounts: UpstreamAccount[],
  /** `localhost` makes the provider another site than Folio's 127.0.0.1, as in real life. */
  hostname: 'localhost' | '127.0.0.1' = '127.0.0.1',
) {
  let handle: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  const server = createServer((request, response) => {
    if (handle) handle(request, response);
    else response.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://${hostname}:${(server.address() as AddressInfo).port}`;
  const client = { clientId: 'folio', clientSecret: 'folio-test-secret-that-is-long-enough-123' };

  return {
    issuer,
    client,
    env: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: client.clientId,
      OIDC_CLIENT_SECRET: client.clientSecret,
      OIDC_NAME: 'Test Identity',
    },
    /** Registers Folio (its callback on `folioOrigin`) and starts answering. */
    async acceptFolio(folioOrigin: string) {
      const provider = await quietly(
        async () =>
          new (await import('oidc-provider')).default(issuer, {
            clients: [
              {
                client_id: client.clientId,
                client_secret: client.clientSecret,
                redirect_uris: [`${folioOrigin}/login/oidc/callback`],
              },
            ],
            pkce: { required: () => true },
            cookies: { keys: ['oidc-upstream-test-cookie-key'] },
            ttl: { Interaction: 600, Session: 3600, Grant: 3600, IdToken: 600, AccessToken: 600 },
            claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
            findAccount: async (_ctx: unknown, id: string) => {
              const account = accounts.find((entry) => entry.login === id);
              if (!account) return undefined;
              return {
                accountId: id,
                claims: async () => ({
                  sub: id,
                  email: account.email,
                  email_verified: account.emailVerified ?? true,
                  name: id,
                }),
              };
            },
          }),
      );
      handle = provider.callback();
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The person's browser at the provider: opens the authorization URL, types the login, clicks
 * Continue on the consent page, and returns the redirect back to Folio's callback.
 */
export async function signInUpstream(upstreamUrl: string, login: string): Promise<string> {
  const browser = new Browser(new URL(upstreamUrl).origin);
  let page = await browser.visit(upstreamUrl);
  for (let step = 0; step < 4 && new URL(page.url).origin === browser.origin; step++) {
    const fields: Record<string, string> = page.html.includes('name="login"')
      ? { login, password: 'any password' }
      : {};
    page = await browser.submit(page, fields);
  }
  if (new URL(page.url).origin === browser.origin) {
    throw new Error(`the provider stopped at ${page.url} (${page.status})`);
  }
  return page.url;
}

/** oidc-provider warns at load about development defaults; tests need none of that noise. */
async function quietly<T>(build: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  const info = console.info;
  console.warn = () => undefined;
  console.info = () => undefined;
  try {
    return await build();
  } finally {
    console.warn = warn;
    console.info = info;
  }
}
