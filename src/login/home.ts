import { Elysia } from 'elysia';
import type { AppContext } from '../context.ts';
import { countDocuments, findDocument } from '../documents/index.ts';
import { csrfField, ensureCsrfToken } from '../http/csrf.ts';
import { html, pageResponse } from '../http/html.ts';
import type { Account } from './accounts.ts';
import { listIdentityProviders } from './identities.ts';
import { findSignedInUser } from './session.ts';

/**
 * The home page and the page behind each document's `url` (what the MCP fetch tool returns).
 * A document is shown only to its owner; to anyone else it is the same 404 as a missing one.
 */
export function createHomeRoutes(ctx: AppContext) {
  return new Elysia()
    .get('/', ({ request }) => {
      const user = findSignedInUser(ctx, request);
      return user
        ? renderAccountHome(ctx, request, user)
        : renderWelcome(ctx.config.signup === 'open' && ctx.config.localAccounts);
    })
    .get('/documents/:id', ({ request, params }) => {
      const user = findSignedInUser(ctx, request);
      const document = user ? findDocument(ctx.db, user.id, params.id) : undefined;
      if (!document) return renderMissingDocument(user ? null : new URL(request.url).pathname);

      return pageResponse(
        document.title,
        html`<h1>${document.title}</h1>
<p class="muted">Updated ${new Date(document.updatedAt).toISOString()}</p>
<pre>${document.body}</pre>
<p><a href="/">Folio home</a></p>`,
      );
    });
}

function renderWelcome(signupOpen: boolean): Response {
  return pageResponse(
    'Welcome',
    html`<h1>Folio</h1>
<p>Folio keeps your documents on a server you run and lets AI assistants search, read and write
them over MCP, after you sign in and approve each assistant.</p>
<div class="actions"><a href="/signin">Sign in</a>
${signupOpen ? html`<a href="/signup">Create an account</a>` : ''}</div>`,
  );
}

function renderAccountHome(ctx: AppContext, request: Request, user: Account): Response {
  const csrf = ensureCsrfToken(request, ctx.config.secureCookies);
  const total = countDocuments(ctx.db, user.id);

  const response = pageResponse(
    'Your Folio',
    html`<h1>Your Folio</h1>
<dl>
<dt>Signed in as</dt><dd>${user.email}</dd>
<dt>Signs in with</dt><dd>${describeSignInMethods(ctx, user.id)}</dd>
<dt>Documents</dt><dd>${total}</dd>
<dt>MCP URL</dt><dd><code>${ctx.config.mcpUrl}</code></dd>
</dl>
<p><a href="/connections">Connected applications</a>: see and revoke what may use your
documents.</p>
<p class="muted">Add this URL as a remote MCP server (a custom connector in Claude or ChatGPT,
an HTTP server in VS Code); the assistant will send you here to sign in and approve it.</p>
<form method="post" action="/signout">
<input type="hidden" name="${csrfField}" value="${csrf.token}">
<button type="submit">Sign out</button>
</form>`,
  );
  if (csrf.setCookie) response.headers.append('set-cookie', csrf.setCookie);
  return response;
}

const methodNames: Record<string, string> = { password: 'password', google: 'Google' };

function describeSignInMethods(ctx: AppContext, userId: string): string {
  const names = listIdentityProviders(ctx.db, userId)
    .map((provider) => methodNames[provider] ?? ctx.config.oidc?.name ?? provider)
    .sort();
  return names.length > 0 ? names.join(', ') : 'nothing yet';
}

/** `signInPath` is set for signed-out visitors, who may own the document once signed in. */
function renderMissingDocument(signInPath: string | null): Response {
  const signIn = signInPath && `/signin?return_to=${encodeURIComponent(signInPath)}`;
  return pageResponse(
    'Not found',
    html`<h1>Not found</h1>
<p class="notice">There is no document of yours at this address.</p>
${signIn ? html`<p><a href="${signIn}">Sign in</a> to see your documents.</p>` : ''}
<p><a href="/">Folio home</a></p>`,
    404,
  );
}
