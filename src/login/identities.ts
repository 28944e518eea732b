import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../storage/database.ts';
import {
  authorizationCodes,
  browserSessions,
  consents,
  grants,
  identities,
  users,
} from '../storage/schema.ts';
import type { Account } from './accounts.ts';
import { passwordIssuer } from './accounts.ts';
import type { UpstreamIdentity } from './identity-provider.ts';
import { checkUpstreamSignIn, type PolicyRefusal } from './sign-in-policy.ts';

export type IdentityOutcome =
  | { kind: 'signed_in'; account: Account; created: boolean; linked: boolean }
  | { kind: 'refused'; reason: PolicyRefusal };

type Policy = Parameters<typeof checkUpstreamSignIn>[0];

/**
 * Finds the Folio user for an upstream identity: the user it is already linked to, else the
 * user with the same email (a new identity linked to them), else a new user. The policy runs
 * before any write, so a refused person leaves nothing behind.
 */
export function resolveIdentity(
  db: Db,
  policy: Policy,
  identity: UpstreamIdentity,
  now: number,
): IdentityOutcome {
  return db.transaction((tx) => {
    const known = tx
      .select({ id: users.id, email: users.email })
      .from(identities)
      .innerJoin(users, eq(users.id, identities.userId))
      .where(and(eq(identities.issuer, identity.issuer), eq(identities.subject, identity.subject)))
      .get();
    const sameEmail = known
      ? undefined
      : tx
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(eq(users.email, identity.email))
          .get();

    const refusal = checkUpstreamSignIn(
      policy,
      { email: known?.email ?? identity.email, emailVerified: identity.emailVerified },
      !known && !sameEmail,
    );
    if (refusal) return { kind: 'refused', reason: refusal } as const;
    if (known) return { kind: 'signed_in', account: known, created: false, linked: false } as const;

    if (sameEmail && !hasVouchedIdentity(tx as unknown as Db, sameEmail.id)) {
      removeUnprovenAccess(tx as unknown as Db, sameEmail.id, now);
    }
    const account = sameEmail ?? { id: crypto.randomUUID(), email: identity.email };
    if (!sameEmail)
      tx.insert(users)
        .values({ ...account, createdAt: now })
        .run();
    tx.insert(identities)
      .values({
        issuer: identity.issuer,
        subject: identity.subject,
        provider: identity.provider,
        userId: account.id,
        email: identity.email,
        createdAt: now,
      })
      .run();
    return { kind: 'signed_in', account, created: !sameEmail, linked: Boolean(sameEmail) } as const;
  });
}

/**
 * Whether someone proved this user's email before: a provider that verified it, or the
 * operator who created the account. A self-signed-up password proves nothing.
 */
function hasVouchedIdentity(db: Db, userId: string): boolean {
  const rows = db
    .select({ issuer: identities.issuer })
    .from(identities)
    .where(eq(identities.userId, userId))
    .all();
  return rows.some((row) => row.issuer !== passwordIssuer);
}

/**
 * Account pre-hijacking: someone may sign up with another person's email before that person
 * first signs in with a provider that verifies it. The verified person keeps the account; the
 * unproven password, every browser session, code and grant made with it end here. Documents
 * stay (they may be the person's own from before), which is why sign-up can be closed.
 */
function removeUnprovenAccess(db: Db, userId: string, now: number): void {
  db.update(users).set({ passwordHash: null }).where(eq(users.id, userId)).run();
  db.delete(identities)
    .where(and(eq(identities.userId, userId), eq(identities.issuer, passwordIssuer)))
    .run();
  db.delete(browserSessions).where(eq(browserSessions.userId, userId)).run();
  db.update(grants)
    .set({ revokedAt: now })
    .where(and(eq(grants.userId, userId), isNull(grants.revokedAt)))
    .run();
  db.delete(consents).where(eq(consents.userId, userId)).run();
  // Codes already issued would otherwise still buy tokens for the account after the link.
  db.delete(authorizationCodes).where(eq(authorizationCodes.userId, userId)).run();
}

/** The providers a user can sign in with, for the home page. */
export function listIdentityProviders(db: Db, userId: string): string[] {
  return db
    .selectDistinct({ provider: identities.provider })
    .from(identities)
    .where(eq(identities.userId, userId))
    .all()
    .map((row) => row.provider);
}
