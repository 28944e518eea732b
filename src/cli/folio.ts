import { clientsUsage, runClients } from './clients.ts';
import { CliError, type CommandDeps, openConfiguredDatabase } from './command.ts';
import { exportUsage, runExport } from './export.ts';
import { importUsage, runImport } from './import.ts';
import { runUsersAdd, usersAddUsage } from './users-add.ts';

/**
 * Admin commands: `bun run folio <command>`. Settings come from the same environment variables
 * as the server (DATABASE_PATH above all). Problems print one line on stderr and exit 1.
 */

const usage = `usage:
  ${usersAddUsage}
  ${importUsage}
  ${exportUsage}
  ${clientsUsage}
  folio --help`;

const deps: CommandDeps = {
  openDatabase: openConfiguredDatabase,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

async function runFolio(args: string[]): Promise<number> {
  const [command, subcommand, ...rest] = args;

  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    deps.stdout(usage);
    return command === undefined ? 1 : 0;
  }
  if (args.includes('--help') || args.includes('-h')) {
    deps.stdout(usage);
    return 0;
  }

  if (command === 'users' && subcommand !== 'add') {
    deps.stderr(`folio: users needs a subcommand: ${usersAddUsage}`);
    return 1;
  }
  if (command === 'users') await runUsersAdd(rest, deps);
  else if (command === 'import') await runImport(args.slice(1), deps);
  else if (command === 'export') await runExport(args.slice(1), deps);
  else if (command === 'clients') await runClients(subcommand, rest, deps);
  else {
    deps.stderr(`folio: unknown command "${args.slice(0, 2).join(' ')}"\n${usage}`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = await runFolio(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof CliError || isArgsError(error))) throw error;
  deps.stderr(`folio: ${error.message}`);
  process.exitCode = 1;
}

/** parseArgs reports unknown options and missing values as a TypeError carrying a code. */
function isArgsError(error: unknown): error is TypeError {
  return error instanceof TypeError && 'code' in error;
}
