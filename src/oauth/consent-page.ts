import { csrfField } from '../http/csrf.ts';
import { html, pageResponse } from '../http/html.ts';
import { type AuthorizationRequest, authorizationParams } from './authorization-request.ts';
import { isLoopbackOnly } from './redirect-uri.ts';
import { describeScope, isDocumentScope, parseScope } from './scope.ts';

/**
 * The consent page: who is asking (name, client id, where it will send the person back), what
 * it asks for, and Allow / Deny. The original request travels in hidden fields and is checked
 * again in full when the form comes back.
 */
/**
 * Who is looking at the page: a signed-in person, or a browser about to sign in with a
 * provider (the approval that must come before Folio sends it upstream for a client).
 */
export type ConsentViewer =
  | { email: string }
  | { provider: { id: string; name: string }; askedAgain: boolean };

export function renderConsentPage(
  request: AuthorizationRequest,
  params: URLSearchParams,
  viewer: ConsentViewer,
  csrfToken: string,
): Response {
  const { client, redirectUri } = request;
  const name = client.clientName?.trim() || 'An unnamed application';
  const destination = describeDestination(redirectUri);
  const scopes = parseScope(request.scope).filter(isDocumentScope);
  const localOnly = isLoopbackOnly([redirectUri]);

  const hidden = authorizationParams
    .filter((field) => params.has(field))
    .map((field) => html`<input type="hidden" name="${field}" value="${params.get(field) ?? ''}">`);

  const body = html`
<h1>Allow ${name} to use your documents?</h1>
${describeViewer(viewer)}
<dl>
  <dt>Application</dt><dd>${name}</dd>
  <dt>Client id</dt><dd><code>${client.clientId}</code></dd>
  ${
    client.registration === 'metadata_document'
      ? html`<dt>Published by</dt><dd><code>${new URL(client.clientId).host}</code></dd>`
      : ''
  }
  <dt>Returns to</dt><dd><code>${destination}</code></dd>
</dl>
${localOnly ? localNote : ''}
<p>It will be able to:</p>
<ul>${scopes.map((scope) => html`<li>${describeScope(scope)}</li>`)}</ul>
<p class="muted">Only allow applications you added yourself. You can revoke access later.</p>
<form method="post" action="/authorize/consent">
  <input type="hidden" name="${csrfField}" value="${csrfToken}">
  ${'provider' in viewer ? providerField(viewer.provider.id) : ''}
  ${hidden}
  <div class="actions">
    <button class="primary" type="submit" name="decision" value="allow">Allow</button>
    <button type="submit" name="decision" value="deny">Deny</button>
  </div>
</form>`;
  return pageResponse(`Allow ${name}?`, body);
}

function describeViewer(viewer: ConsentViewer) {
  if ('email' in viewer) return html`<p>Signed in as <strong>${viewer.email}</strong>.</p>`;
  const again = viewer.askedAgain
    ? html`<p class="notice" role="alert">Folio could not tie your sign-in to this browser, so it
asks again here. If you did not just try to connect this application, choose Deny.</p>`
    : '';
  const provider = viewer.provider.name;
  return html`${again}<p>If you allow it, you will sign in with <strong>${provider}</strong>
next, and the application gets access to your Folio documents.</p>`;
}

/** The host for web redirects; an app's own scheme is shown whole, it has no host to name. */
const localNote = html`<p class="muted">
This application runs on your own computer: it returns only to localhost.</p>`;

function describeDestination(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : redirectUri;
}

function providerField(providerId: string) {
  return html`<input type="hidden" name="provider" value="${providerId}">`;
}
