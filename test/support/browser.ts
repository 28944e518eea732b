/**
 * A small headless "browser" for Folio's server-rendered pages: a cookie jar, manual
 * redirects, and forms filled and submitted the way a person's browser would (hidden CSRF
 * fields included). It stops at the first redirect that leaves Folio's origin.
 */

export type Page = { url: string; status: number; html: string };

export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(readonly origin: string) {}

  /** Follows redirects within Folio; returns the page, or the URL of an off-site redirect. */
  async visit(url: string, init: RequestInit = {}): Promise<Page> {
    let target = url;
    let request: RequestInit = init;
    for (let hop = 0; hop < 10; hop++) {
      const response = await fetch(target, {
        ...request,
        redirect: 'manual',
        headers: { ...(request.headers as Record<string, string>), cookie: this.cookieHeader() },
      });
      this.storeCookies(response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, target).href;
        if (new URL(next).origin !== this.origin) {
          return { url: next, status: response.status, html: '' };
        }
        target = next;
        request = {};
        continue;
      }
      return { url: target, status: response.status, html: await response.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Submits the form that contains `button` (or the first form), with `fields` filled in. */
  async submit(page: Page, fields: Record<string, string>, button?: [string, string]) {
    const form = findForm(page.html, button);
    const body = new URLSearchParams(form.hidden);
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    if (button) body.set(button[0], button[1]);

    return this.visit(new URL(form.action || page.url, page.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.origin },
      body,
    });
  }

  /** Signs up (or in, when `existing`) through the pages, starting from `page`. */
  async signIn(page: Page, email: string, password: string): Promise<Page> {
    return this.submit(page, { email, password });
  }

  /**
   * Walks an authorization URL through sign-in and consent and returns the redirect back to
   * the client (where the code is).
   */
  async authorize(
    authorizationUrl: string,
    account: { email: string; password: string; signUp?: boolean },
    decision: 'allow' | 'deny' = 'allow',
  ): Promise<URL> {
    let page = await this.visit(authorizationUrl);
    if (new URL(page.url).pathname === '/signin') {
      if (account.signUp) {
        const returnTo = new URL(page.url).searchParams.get('return_to') ?? '/';
        page = await this.visit(`${this.origin}/signup?return_to=${encodeURIComponent(returnTo)}`);
      }
      page = await this.signIn(page, account.email, account.password);
    }
    if (new URL(page.url).origin === this.origin && page.html.includes('name="decision"')) {
      page = await this.submit(page, {}, ['decision', decision]);
    }
    if (new URL(page.url).origin === this.origin) {
      throw new Error(
        `authorization stopped at ${page.url} (${page.status}): ${page.html.slice(0, 300)}`,
      );
    }
    return new URL(page.url);
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private storeCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

type Form = { action: string; hidden: Record<string, string> };

function findForm(html: string, button?: [string, string]): Form {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
  const match =
    forms.find(([, , inner]) => (button ? inner?.includes(`value="${button[1]}"`) : true)) ??
    forms[0];
  if (!match) throw new Error('no form on the page');

  const [, attributes = '', inner = ''] = match;
  const hidden: Record<string, string> = {};
  for (const [input] of inner.matchAll(/<input\b[^>]*>/gi)) {
    if (!/type="hidden"/i.test(input)) continue;
    const name = /name="([^"]*)"/.exec(input)?.[1];
    const value = /value="([^"]*)"/.exec(input)?.[1] ?? '';
    if (name) hidden[decodeEntities(name)] = decodeEntities(value);
  }
  return { action: decodeEntities(/action="([^"]*)"/.exec(attributes)?.[1] ?? ''), hidden };
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
