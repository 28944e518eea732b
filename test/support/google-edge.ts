import { generateKeyPair, SignJWT } from 'jose';

/** A person's Google account as the fake Google knows it. */
export type GoogleAccount = { sub: string; email: string; emailVerified?: boolean };

type PendingCode = {
  account: GoogleAccount;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | undefined;
};

const googleHosts = ['accounts.google.com', 'oauth2.googleapis.com'];

/**
 * Google at the network edge. This machine cannot reach Google, so the test replaces
 * `globalThis.fetch` for Google's hosts only (everything else passes through) and answers the
 * token endpoint as Google does: PKCE and client authentication checked, `invalid_grant` for a
 * code used twice, and an RS256 ID token with Google's claims. `approve` plays the person at
 * Google's consent screen and returns the redirect back to Folio.
 */
export async function interceptGoogle(credentials: { clientId: string; clientSecret: string }) {
  const { privateKey } = await generateKeyPair('RS256');
  const codes = new Map<string, PendingCode>();
  const original = globalThis.fetch;
  let tokenRequests = 0;

  const answerToken = async (request: Request): Promise<Response> => {
    tokenRequests += 1;
    const form = new URLSearchParams(await request.text());
    const [id, secret] = Buffer.from(
      (request.headers.get('authorization') ?? '').replace(/^Basic /, ''),
      'base64',
    )
      .toString()
      .split(':');
    if (id !== credentials.clientId || secret !== credentials.clientSecret) {
      return googleError(401, 'invalid_client', 'Unauthorized');
    }
    const pending = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = new Bun.CryptoHasher('sha256').update(verifier).digest('base64url');
    if (
      !pending ||
      form.get('grant_type') !== 'authorization_code' ||
      form.get('redirect_uri') !== pending.redirectUri ||
      challenge !== pending.codeChallenge
    ) {
      return googleError(400, 'invalid_grant', 'Bad Request');
    }

    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({
      azp: pending.clientId,
      email: pending.account.email,
      email_verified: pending.account.emailVerified ?? true,
      name: 'Test Person',
      ...(pending.nonce ? { nonce: pending.nonce } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-google-key', typ: 'JWT' })
      .setIssuer('https://accounts.google.com')
      .setAudience(pending.clientId)
      .setSubject(pending.account.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + 3599)
      .sign(privateKey);
    return Response.json({
      access_token: `ya29.test-${crypto.randomUUID()}`,
      expires_in: 3599,
      scope: 'openid https://www.googleapis.com/auth/userinfo.email',
      token_type: 'Bearer',
      id_token: idToken,
    });
  };

  globalThis.fetch = Object.assign(
    async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      if (!googleHosts.includes(new URL(request.url).hostname)) return original(input, init);
      if (new URL(request.url).href === 'https://oauth2.googleapis.com/token') {
        return answerToken(request);
      }
      return new Response('Not Found', { status: 404 });
    },
    { preconnect: original.preconnect },
  ) as typeof fetch;

  return {
    get tokenRequests() {
      return tokenRequests;
    },
    /** The person signs in at Google and allows Folio: the redirect back, with a code. */
    approve(authorizationUrl: string, account: GoogleAccount): string {
      const asked = new URL(authorizationUrl).searchParams;
      const code = `4/0test-${crypto.randomUUID()}`;
      codes.set(code, {
        account,
        clientId: asked.get('client_id') ?? '',
        redirectUri: asked.get('redirect_uri') ?? '',
        codeChallenge: asked.get('code_challenge') ?? '',
        nonce: asked.get('nonce') ?? undefined,
      });
      return back(asked, { code, scope: asked.get('scope') ?? '', authuser: '0', prompt: 'none' });
    },
    /** The redirect back with an error, as when the person clicks Cancel (access_denied). */
    refuse(authorizationUrl: string, error = 'access_denied'): string {
      return back(new URL(authorizationUrl).searchParams, { error });
    },
    restore() {
      globalThis.fetch = original;
    },
  };
}

function back(asked: URLSearchParams, params: Record<string, string>): string {
  const url = new URL(asked.get('redirect_uri') ?? '');
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  url.searchParams.set('state', asked.get('state') ?? '');
  return url.href;
}

function googleError(status: number, error: string, description: string): Response {
  return Response.json({ error, error_description: description }, { status });
}
