import { BridgeError } from './bridge-error.mjs';
import { clientNames, printClientConfig } from './client-config.mjs';
import { login } from './login.mjs';
import { logout } from './logout.mjs';
import { bridgeVersion } from './mcp-remote.mjs';
import { runBridge } from './run.mjs';
import { parseServerUrl } from './server-url.mjs';
import { status } from './status.mjs';

const defaultSignInTimeoutSeconds = 300;

const usage = `Usage:
  folio-bridge <url>                      stdio MCP server for the Folio at <url> (for AI clients)
  folio-bridge login <url>                sign in now, in the browser, then exit
  folio-bridge logout <url>               revoke and forget the tokens for <url>
  folio-bridge status                     servers with stored tokens, and until when
  folio-bridge config <client> <url>      settings snippet; <client>: ${clientNames.join(', ')}

Options:
  --sign-in-timeout <seconds>   how long to wait for the browser sign-in (default ${defaultSignInTimeoutSeconds})
  --verbose                     login: show what mcp-remote says
  --local                       config: run this copy with node instead of npx

<url> is Folio's MCP URL, e.g. https://docs.example.com/mcp. Tokens live in ~/.folio-bridge.`;

/**
 * Parses the command line and runs one command. Every line for people goes to stderr except
 * the output of status and config, which is the answer asked for.
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<number>}
 */
export async function main(argv, env) {
  const say = (/** @type {string} */ line) => process.stderr.write(`folio-bridge: ${line}\n`);
  const print = (/** @type {string} */ line) => process.stdout.write(`${line}\n`);

  try {
    const { positional, flags } = parseArguments(argv);
    if (flags.help) {
      process.stderr.write(`${usage}\n`);
      return 0;
    }
    if (flags.version) {
      print(bridgeVersion);
      return 0;
    }

    const [first, ...rest] = positional;
    const signInTimeoutMs = flags.signInTimeoutSeconds * 1000;
    switch (first) {
      case 'login':
        return await login(parseServerUrl(rest[0]), {
          env,
          signInTimeoutMs,
          verbose: flags.verbose,
          say,
          print,
        });
      case 'logout':
        return await logout(parseServerUrl(rest[0]), { env, print });
      case 'status':
        return status({ env, print });
      case 'config':
        return printClientConfig(rest[0], parseServerUrl(rest[1]), {
          local: flags.local,
          print,
          say: (line) => process.stderr.write(`${line}\n`),
        });
      default:
        return await runBridge(parseServerUrl(first), { env, signInTimeoutMs, say });
    }
  } catch (error) {
    if (error instanceof BridgeError) {
      say(error.message);
      if (error.code === 'usage') process.stderr.write(`\n${usage}\n`);
      return error.code === 'usage' ? 2 : 1;
    }
    say(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    return 1;
  }
}

/** @param {string[]} argv */
function parseArguments(argv) {
  const positional = [];
  const flags = {
    help: false,
    version: false,
    verbose: false,
    local: false,
    signInTimeoutSeconds: defaultSignInTimeoutSeconds,
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = /** @type {string} */ (argv[index]);
    if (argument === '--help' || argument === '-h') flags.help = true;
    else if (argument === '--version') flags.version = true;
    else if (argument === '--verbose') flags.verbose = true;
    else if (argument === '--local') flags.local = true;
    else if (argument === '--sign-in-timeout') {
      const seconds = Number(argv[++index]);
      if (!Number.isInteger(seconds) || seconds < 1) {
        throw new BridgeError(
          'usage',
          '--sign-in-timeout must be a whole number of seconds, 1 or more',
        );
      }
      flags.signInTimeoutSeconds = seconds;
    } else if (argument.startsWith('--')) {
      throw new BridgeError('usage', `unknown option ${argument}`);
    } else positional.push(argument);
  }
  return { positional, flags };
}
