import type { Config } from '../config.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { openStorage, type Storage } from '../storage/database.ts';

/** What every admin command shares: its error type and how it reaches the database. */

/** A problem the operator can fix; folio.ts prints the message and exits with code 1. */
export class CliError extends Error {
  override name = 'CliError';
}

export type CommandDeps = {
  /** Opened only once the arguments are known to be good, so `--help` creates no file. */
  openDatabase(): { config: Config; storage: Storage };
  stdout(line: string): void;
  stderr(line: string): void;
};

export function openConfiguredDatabase(): { config: Config; storage: Storage } {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
  return { config, storage: openStorage(config.databasePath) };
}
