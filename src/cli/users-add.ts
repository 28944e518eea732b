import { parseArgs } from 'node:util';
import { AccountError, checkEmail, createUser } from '../login/accounts.ts';
import { CliError, type CommandDeps } from './command.ts';
import { readPassword } from './password-prompt.ts';

export const usersAddUsage = 'folio users add EMAIL   (password from the terminal or stdin)';

/** `folio users add EMAIL`: creates a local account and says so on stdout. */
export async function runUsersAdd(args: string[], deps: CommandDeps): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1 || !positionals[0]) {
    throw new CliError(`users add: expected exactly one EMAIL argument\nusage: ${usersAddUsage}`);
  }

  try {
    const email = checkEmail(positionals[0]);
    const password = await readPassword(`Password for ${email}: `);
    const { storage } = deps.openDatabase();
    try {
      const account = await createUser(storage.db, email, password, Date.now(), 'operator');
      deps.stdout(`created account ${account.email} (id ${account.id})`);
    } finally {
      storage.close();
    }
  } catch (error) {
    if (error instanceof AccountError) throw new CliError(error.message);
    throw error;
  }
}
