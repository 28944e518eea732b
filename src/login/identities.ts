import { and, eq } from 'drizzle-orm';
import type { Db } from '../storage/database.ts';
import { identities, users } from '../storage/schema.ts';
import type { Account } from './accounts.ts';
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

/** The providers a user can sign in with, for the home page. */
export function listIdentityProviders(db: Db, userId: string): string[] {
  return db
    .selectDistinct({ provider: identities.provider })
    .from(identities)
    .where(eq(identities.userId, userId))
    .all()
    .map((row) => row.provider);
}
