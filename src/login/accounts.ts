import { eq } from 'drizzle-orm';
import type { Db } from '../storage/database.ts';
import { identities, users } from '../storage/schema.ts';

/**
 * Local accounts: an email and an argon2id password hash. Emails are compared trimmed and
 * lowercased, so `Ann@Example.com ` and `ann@example.com` are one account.
 */

export type Account = { id: string; email: string };

export type AccountField = 'email' | 'password';

/** Input a person can fix: the message names the field and what it must be. */
export class AccountError extends Error {
  override name = 'AccountError';

  constructor(
    readonly field: AccountField,
    readonly reason: 'invalid' | 'taken',
    message: string,
  ) {
    super(message);
  }
}

export const passwordMinLength = 8;
export const passwordMaxLength = 1024;

const hashOptions = { algorithm: 'argon2id' } as const;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

// RFC 5322 atext for the local part and letter-digit-hyphen labels for the domain, Unicode
// letters allowed; quoted local parts and IP-literal domains are refused as too unusual.
const emailPattern = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*$/u;

export function checkEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > 254 || !emailPattern.test(normalized)) {
    throw new AccountError('email', 'invalid', 'email must look like name@example.com');
  }
  return normalized;
}

export function checkPassword(password: string): string {
  if (password.length < passwordMinLength || password.length > passwordMaxLength) {
    throw new AccountError(
      'password',
      'invalid',
      `password must be ${passwordMinLength} to ${passwordMaxLength} characters long`,
    );
  }
  return password;
}

export function findUserByEmail(db: Db, email: string): Account | undefined {
  const row = db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .get();
  return row ?? undefined;
}

/** Creates a local account; throws AccountError for a bad email, password or a taken email. */
export async function createUser(
  db: Db,
  email: string,
  password: string,
  now: number,
  origin: 'signup' | 'operator' = 'signup',
): Promise<Account> {
  const normalized = checkEmail(email);
  checkPassword(password);
  if (findUserByEmail(db, normalized)) throw takenError();

  const passwordHash = await Bun.password.hash(password, hashOptions);
  const account = { id: crypto.randomUUID(), email: normalized };
  try {
    db.transaction((tx) => {
      tx.insert(users)
        .values({ ...account, passwordHash, createdAt: now })
        .run();
      tx.insert(identities)
        .values(passwordIdentity(account, now, origin))
        .run();
    });
  } catch (error) {
    // Two sign-ups for one email can both pass the check above while the hash is computed.
    if (isUniqueViolation(error)) throw takenError();
    throw error;
  }
  return account;
}

/**
 * Returns the account when the password matches, else null, without saying which part was
 * wrong. A missing account still costs one argon2id verify, so response time does not reveal
 * which emails have accounts.
 */
export async function verifyCredentials(
  db: Db,
  email: string,
  password: string,
): Promise<Account | null> {
  if (password.length > passwordMaxLength) return null;

  const row = db
    .select({ id: users.id, email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .get();

  if (!row?.passwordHash) {
    await Bun.password.verify(password, await readDummyHash());
    return null;
  }
  const matches = await Bun.password.verify(password, row.passwordHash);
  return matches ? { id: row.id, email: row.email } : null;
}

let dummyHash: Promise<string> | undefined;

function readDummyHash(): Promise<string> {
  dummyHash ??= Bun.password.hash(crypto.randomUUID(), hashOptions);
  return dummyHash;
}

function takenError(): AccountError {
  return new AccountError('email', 'taken', 'email already belongs to an account');
}

/**
 * The identity row of a local account; its subject is the user id, never the password. The
 * issuer says who vouched for the email: nobody (self sign-up) or the operator (`folio users
 * add`).
 */
export function passwordIdentity(
  account: Account,
  now: number,
  origin: 'signup' | 'operator' = 'signup',
) {
  return {
    issuer: origin === 'operator' ? operatorIssuer : passwordIssuer,
    subject: account.id,
    provider: 'password' as const,
    userId: account.id,
    email: account.email,
    createdAt: now,
  };
}

export const passwordIssuer = 'folio:password';
export const operatorIssuer = 'folio:operator';

export function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ('code' in current && String(current.code).startsWith('SQLITE_CONSTRAINT')) return true;
  }
  return false;
}
