import { Elysia } from 'elysia';
import type { AppContext } from '../context.ts';
import { csrfField, ensureCsrfToken, verifyCsrf } from '../http/csrf.ts';
import { html, pageResponse } from '../http/html.ts';
import { findSignedInUser } from '../login/session.ts';
import { type Connection, listConnections, revokeConnection } from './consents.ts';
import { describeScope, isDocumentScope, parseScope } from './scope.ts';

/**
 * The person's own view of the applications they approved, with a Revoke button for each:
 * revoking ends every grant of that application at once (its access tokens stop working on
 * their next request) and the next connection asks for consent again.
 */
export function createConnectionsRoutes(ctx: AppContext) {
  return new Elysia({ name: 'oauth/connections' })
    .get('/connections', ({ request }) => {
      const user = findSignedInUser(ctx, request);
      if (!user) return signInFirst();

      const csrf = ensureCsrfToken(request, ctx.config.secureCookies);
      const page = renderConnections(listConnections(ctx.db, user.id), csrf.token);
      if (csrf.setCookie) page.headers.append('set-cookie', csrf.setCookie);
      return page;
    })
    .post('/connections/revoke', async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      verifyCsrf(request, form.get(csrfField), ctx.config.issuerUrl, ctx.config.secureCookies);
      const user = findSignedInUser(ctx, request);
      if (!user) return signInFirst();

      const clientId = form.get('client_id') ?? '';
      const ended = revokeConnection(ctx.db, user.id, clientId, ctx.now());
      ctx.logger.info('grant.revoked', {
        user_id: user.id,
        client_id: clientId,
        grants: ended,
        by: 'user',
      });
      return new Response(null, { status: 303, headers: { location: '/connections' } });
    });
}

function renderConnections(connections: Connection[], csrfToken: string): Response {
  const rows = connections.map(
    (connection) => html`<li>
<strong>${connection.clientName?.trim() || 'An unnamed application'}</strong>
<span class="muted">returns to ${connection.redirectUris.map(hostOf).join(', ')};
approved ${new Date(connection.approvedAt).toISOString().slice(0, 10)}</span>
<ul>${parseScope(connection.scope)
      .filter(isDocumentScope)
      .map((scope) => html`<li>${describeScope(scope)}</li>`)}</ul>
<form method="post" action="/connections/revoke">
<input type="hidden" name="${csrfField}" value="${csrfToken}">
<input type="hidden" name="client_id" value="${connection.clientId}">
<button type="submit">Revoke</button>
</form>
</li>`,
  );
  return pageResponse(
    'Connected applications',
    html`<h1>Connected applications</h1>
${
  rows.length > 0
    ? html`<ul>${rows}</ul>`
    : html`<p>No application may use your documents. Add Folio's MCP URL to one to connect it.</p>`
}
<p><a href="/">Folio home</a></p>`,
  );
}

function hostOf(uri: string): string {
  try {
    const url = new URL(uri);
    return url.host || `${url.protocol}//`;
  } catch {
    return uri;
  }
}

function signInFirst(): Response {
  const location = `/signin?return_to=${encodeURIComponent('/connections')}`;
  return new Response(null, { status: 303, headers: { location } });
}
