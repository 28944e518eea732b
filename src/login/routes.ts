import { Elysia } from 'elysia';
import type { AppContext } from '../context.ts';
import { csrfField, ensureCsrfToken, verifyCsrf } from '../http/csrf.ts';
import { PageError } from '../http/errors.ts';
import { readAddress } from '../http/request-context.ts';
import { AccountError, createUser, normalizeEmail, verifyCredentials } from './accounts.ts';
import type { IdentityProvider } from './identity-provider.ts';
import { type FormPage, renderSignIn, renderSignUp } from './pages.ts';
import { buildProviderPath } from './providers.ts';
import { readReturnTo } from './return-to.ts';
import { endSession, findSignedInUser, startSession } from './session.ts';
import { isAllowedEmail } from './sign-in-policy.ts';

/**
 * Sign-in, sign-up and sign-out pages. Every POST passes the CSRF check before anything else,
 * and success is a 303 to `return_to`, which /authorize uses to resume an authorization.
 */
export function createLoginRoutes(ctx: AppContext, providers: readonly IdentityProvider[] = []) {
  const { config } = ctx;

  const renderForm = (
    request: Request,
    render: (page: FormPage, status?: number) => Response,
    page: Omit<FormPage, 'csrfToken' | 'signupOpen' | 'localAccounts' | 'providers'>,
    status = 200,
  ) => {
    const csrf = ensureCsrfToken(request, config.secureCookies);
    const signupOpen = config.signup === 'open' && config.localAccounts;
    const links = providers.map((provider) => ({
      name: provider.name,
      href: buildProviderPath(provider.id, page.returnTo),
    }));
    const response = render(
      {
        ...page,
        csrfToken: csrf.token,
        signupOpen,
        localAccounts: config.localAccounts,
        providers: links,
      },
      status,
    );
    if (csrf.setCookie) response.headers.append('set-cookie', csrf.setCookie);
    return response;
  };

  const readForm = (request: Request, body: unknown) => {
    const form = isRecord(body) ? body : {};
    verifyCsrf(request, form[csrfField], config.issuerUrl, config.secureCookies);
    return {
      email: typeof form.email === 'string' ? form.email : '',
      password: typeof form.password === 'string' ? form.password : '',
      returnTo: readReturnTo(form.return_to, config.issuerUrl),
    };
  };

  const refuseWithoutLocalAccounts = () => {
    if (!config.localAccounts) {
      throw new PageError(
        'Passwords are switched off',
        'This Folio server signs people in only through the providers on its sign-in page.',
        403,
      );
    }
  };

  const refuseClosedSignup = () => {
    refuseWithoutLocalAccounts();
    if (config.signup === 'closed') {
      throw new PageError(
        'Sign-up is closed',
        'This Folio server does not accept new accounts. Ask the person who runs it for one.',
        403,
      );
    }
  };

  return new Elysia()
    .get('/signin', ({ request, query }) => {
      const returnTo = readReturnTo(query.return_to, config.issuerUrl);
      const [only, ...others] = providers;
      // Nothing to choose between: go straight to the one provider.
      if (!config.localAccounts && only && others.length === 0) {
        return new Response(null, {
          status: 303,
          headers: { location: buildProviderPath(only.id, returnTo), 'cache-control': 'no-store' },
        });
      }
      return renderForm(request, renderSignIn, { returnTo });
    })
    .post('/signin', async ({ request, body }) => {
      const form = readForm(request, body);
      refuseWithoutLocalAccounts();
      const email = normalizeEmail(form.email);
      const address = readAddress(request);
      // Failures count per address and account, so nobody elsewhere can lock the owner out.
      const attempt = `${address} ${email}`;
      await ctx.rateLimits.consumeAddress('signin', address, 'page');
      await ctx.rateLimits.checkSubject('signin', attempt, 'page');

      const account =
        email && form.password ? await verifyCredentials(ctx.db, email, form.password) : null;
      if (!account) {
        await ctx.rateLimits.consumeSubject('signin', attempt, 'page');
        ctx.logger.info('signin.failed', {
          reason: email && form.password ? 'bad_credentials' : 'missing_fields',
        });
        // One message for every failure: saying which part was wrong reveals who has an account.
        const problem = 'The email or password is wrong.';
        return renderForm(request, renderSignIn, { returnTo: form.returnTo, email, problem }, 401);
      }

      if (!isAllowedEmail(config, account.email)) {
        ctx.logger.info('signin.refused', { user_id: account.id, reason: 'email_not_allowed' });
        const problem = notAllowedProblem;
        return renderForm(request, renderSignIn, { returnTo: form.returnTo, email, problem }, 403);
      }

      const sessionCookie = await startSession(ctx, account.id, request);
      ctx.logger.info('signin.succeeded', { user_id: account.id });
      return redirectSeeOther(form.returnTo, sessionCookie);
    })
    .get('/signup', ({ request, query }) => {
      refuseClosedSignup();
      return renderForm(request, renderSignUp, {
        returnTo: readReturnTo(query.return_to, config.issuerUrl),
      });
    })
    .post('/signup', async ({ request, body }) => {
      const form = readForm(request, body);
      refuseClosedSignup();
      const email = normalizeEmail(form.email);
      await ctx.rateLimits.consumeAddress('signin', readAddress(request), 'page');
      if (!isAllowedEmail(config, email)) {
        ctx.logger.info('signup.refused', { field: 'email', reason: 'email_not_allowed' });
        const problem = notAllowedProblem;
        return renderForm(request, renderSignUp, { returnTo: form.returnTo, email, problem }, 403);
      }

      let account: Awaited<ReturnType<typeof createUser>>;
      try {
        account = await createUser(ctx.db, email, form.password, ctx.now());
      } catch (error) {
        if (!(error instanceof AccountError)) throw error;
        ctx.logger.info('signup.refused', { field: error.field, reason: error.reason });
        const problem = describeAccountError(error);
        const status = error.reason === 'taken' ? 409 : 400;
        return renderForm(
          request,
          renderSignUp,
          { returnTo: form.returnTo, email, problem },
          status,
        );
      }

      const sessionCookie = await startSession(ctx, account.id, request);
      ctx.logger.info('signup', { user_id: account.id });
      return redirectSeeOther(form.returnTo, sessionCookie);
    })
    .post('/signout', ({ request, body }) => {
      readForm(request, body);
      const user = findSignedInUser(ctx, request);
      const clearCookie = endSession(ctx, request);
      if (user) ctx.logger.info('signout', { user_id: user.id });
      return redirectSeeOther('/', clearCookie);
    });
}

const notAllowedProblem =
  'This Folio server is not open to this email address. Ask the person who runs it to add you.';

function describeAccountError(error: AccountError): string {
  if (error.reason === 'taken')
    return 'An account with this email already exists. Sign in instead.';
  return `The ${error.field} is not valid: ${error.message}.`;
}

function redirectSeeOther(location: string, setCookie: string): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  headers.append('set-cookie', setCookie);
  return new Response(null, { status: 303, headers });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
