import { csrfField } from '../http/csrf.ts';
import { html, pageResponse } from '../http/html.ts';
import { passwordMaxLength, passwordMinLength } from './accounts.ts';

/** The sign-in and sign-up forms. Every value is escaped by `html`. */

export type FormPage = {
  csrfToken: string;
  returnTo: string;
  email?: string;
  /** Shown above the form; must never contain a password. */
  problem?: string;
  /** When sign-up is closed, the sign-in page does not offer it. */
  signupOpen: boolean;
  /** When off, the sign-in page shows only the providers. */
  localAccounts: boolean;
  /** "Continue with <name>" buttons, in order. */
  providers: readonly { name: string; href: string }[];
};

export function renderSignIn(page: FormPage, status = 200): Response {
  const other = `/signup?return_to=${encodeURIComponent(page.returnTo)}`;
  return pageResponse(
    'Sign in',
    html`<h1>Sign in to Folio</h1>
${page.problem ? html`<p class="notice" role="alert">${page.problem}</p>` : ''}
${renderProviderLinks(page)}
${page.localAccounts ? renderPasswordForm(page, other) : ''}`,
    status,
  );
}

function renderProviderLinks(page: FormPage) {
  if (page.providers.length === 0) return '';
  return html`<div class="actions">${page.providers.map(
    (provider) =>
      html`<a class="button" href="${provider.href}">Continue with ${provider.name}</a>`,
  )}</div>
${page.localAccounts ? html`<p class="muted">Or sign in with your Folio password.</p>` : ''}`;
}

function renderPasswordForm(page: FormPage, other: string) {
  return html`<form method="post" action="/signin">
<input type="hidden" name="${csrfField}" value="${page.csrfToken}">
<input type="hidden" name="return_to" value="${page.returnTo}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required
  value="${page.email ?? ''}" ${page.email ? '' : 'autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required
  maxlength="${passwordMaxLength}" ${page.email ? 'autofocus' : ''}>
<div class="actions"><button class="primary" type="submit">Sign in</button></div>
</form>
${
  page.signupOpen
    ? html`<p class="muted">No account yet? <a href="${other}">Create one</a>.</p>`
    : ''
}`;
}

export function renderSignUp(page: FormPage, status = 200): Response {
  const other = `/signin?return_to=${encodeURIComponent(page.returnTo)}`;
  return pageResponse(
    'Create an account',
    html`<h1>Create a Folio account</h1>
${page.problem ? html`<p class="notice" role="alert">${page.problem}</p>` : ''}
<form method="post" action="/signup">
<input type="hidden" name="${csrfField}" value="${page.csrfToken}">
<input type="hidden" name="return_to" value="${page.returnTo}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required
  value="${page.email ?? ''}" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required
  minlength="${passwordMinLength}" maxlength="${passwordMaxLength}"
  aria-describedby="password-rule">
<p id="password-rule" class="muted">At least ${passwordMinLength} characters.</p>
<div class="actions"><button class="primary" type="submit">Create account</button></div>
</form>
<p class="muted">Already have an account? <a href="${other}">Sign in</a>.</p>`,
    status,
  );
}
