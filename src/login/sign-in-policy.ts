import type { Config } from '../config.ts';

/**
 * Who may sign in or sign up, as pure checks. An operator hosting Folio for a family or a team
 * lists emails and domains; everyone else is refused before anything is stored for them.
 */

export type PolicyRefusal = 'email_unverified' | 'email_not_allowed' | 'signup_closed';

type Policy = Pick<Config, 'allowedEmails' | 'allowedDomains' | 'signup'>;

/** With no list set, every email is allowed; with either list set, only what they name. */
export function isAllowedEmail(policy: Policy, email: string): boolean {
  if (policy.allowedEmails.length === 0 && policy.allowedDomains.length === 0) return true;

  const normalized = email.trim().toLowerCase();
  const domain = normalized.slice(normalized.lastIndexOf('@') + 1);
  return policy.allowedEmails.includes(normalized) || policy.allowedDomains.includes(domain);
}

/**
 * The check for a person coming back from a provider. An unverified email is refused: linking
 * by email would otherwise let anyone who types someone else's address into a provider's
 * sign-up form take over that person's library.
 */
export function checkUpstreamSignIn(
  policy: Policy,
  identity: { email: string; emailVerified: boolean },
  isNewUser: boolean,
): PolicyRefusal | null {
  if (!identity.emailVerified) return 'email_unverified';
  if (!isAllowedEmail(policy, identity.email)) return 'email_not_allowed';
  if (isNewUser && policy.signup === 'closed') return 'signup_closed';
  return null;
}
