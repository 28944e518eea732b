import { parseArgs } from 'node:util';
import {
  ClientInputError,
  createOperatorClient,
  listClients,
  removeClient,
  setPreApproved,
} from '../oauth/operator-clients.ts';
import { CliError, type CommandDeps } from './command.ts';

export const clientsUsage = [
  'folio clients add --name NAME --redirect-uri URI [--redirect-uri URI...] [--public]',
  '                  [--pre-approve] [--scope "documents:read"]',
  'folio clients list',
  'folio clients remove CLIENT_ID      (ends every grant of that client)',
  'folio clients approve CLIENT_ID [--off] [--force]   (users of it see no consent screen)',
].join('\n  ');

/** `folio clients ...`: pre-registered clients, for clients that take a fixed id and secret. */
export async function runClients(
  subcommand: string | undefined,
  args: string[],
  deps: CommandDeps,
): Promise<void> {
  if (subcommand === 'add') return addClient(args, deps);
  if (subcommand === 'list') return withDatabase(deps, (db) => printClients(db, deps));
  if (subcommand === 'remove') return removeOne(args, deps);
  if (subcommand === 'approve') return approve(args, deps);
  throw new CliError(`clients: unknown subcommand "${subcommand ?? ''}"\nusage: ${clientsUsage}`);
}

function addClient(args: string[], deps: CommandDeps) {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      public: { type: 'boolean', default: false },
      'pre-approve': { type: 'boolean', default: false },
      scope: { type: 'string' },
    },
  });
  return withDatabase(deps, (db) => {
    try {
      const { client, secret } = createOperatorClient(
        db,
        {
          name: values.name ?? '',
          redirectUris: values['redirect-uri'] ?? [],
          isPublic: values.public,
          preApproved: values['pre-approve'],
          scope: values.scope,
        },
        Date.now(),
      );
      deps.stdout(`client_id: ${client.clientId}`);
      if (secret) {
        deps.stdout(`client_secret: ${secret}`);
        deps.stdout('The secret is shown only now; Folio keeps only its hash.');
      } else {
        deps.stdout('Public client: no secret (PKCE only).');
      }
    } catch (error) {
      if (error instanceof ClientInputError) throw new CliError(`clients add: ${error.message}`);
      throw error;
    }
  });
}

function printClients(db: Parameters<typeof listClients>[0], deps: CommandDeps) {
  const rows = listClients(db);
  if (rows.length === 0) {
    deps.stdout('No clients yet.');
    return;
  }
  for (const client of rows) {
    const flags = [
      client.registration,
      client.tokenEndpointAuthMethod === 'none' ? 'public' : 'confidential',
      client.preApproved ? 'pre-approved' : '',
      `${client.liveGrants} live grant${client.liveGrants === 1 ? '' : 's'}`,
    ].filter(Boolean);
    deps.stdout(`${client.clientId}  ${client.clientName ?? '(unnamed)'}  [${flags.join(', ')}]`);
    deps.stdout(`    redirect URIs: ${client.redirectUris.join(' ')}`);
  }
}

function removeOne(args: string[], deps: CommandDeps) {
  const clientId = readClientId(args, 'remove');
  return withDatabase(deps, (db) => {
    const { removed, endedGrants } = removeClient(db, clientId);
    if (!removed) throw new CliError(`clients remove: no client has the id "${clientId}"`);
    deps.stdout(`removed ${clientId}; ended ${endedGrants} grant${endedGrants === 1 ? '' : 's'}`);
  });
}

function approve(args: string[], deps: CommandDeps) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      off: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
  });
  const clientId = readClientId(positionals, 'approve');
  return withDatabase(deps, (db) => {
    const outcome = setPreApproved(db, clientId, !values.off, values.force);
    if (outcome === 'missing') {
      throw new CliError(
        `clients approve: no client has the id "${clientId}" (a metadata-document client ` +
          'appears after its first sign-in)',
      );
    }
    if (outcome === 'dynamic') {
      throw new CliError(
        `clients approve: ${clientId} registered itself, and anyone can register under any ` +
          'name; add --force if you are sure it is the client you mean',
      );
    }
    deps.stdout(`${clientId} ${values.off ? 'now asks for consent' : 'is pre-approved'}`);
  });
}

function readClientId(args: string[], command: string): string {
  const [clientId, ...extra] = args;
  if (!clientId || extra.length > 0) {
    throw new CliError(
      `clients ${command}: expected exactly one CLIENT_ID\nusage: ${clientsUsage}`,
    );
  }
  return clientId;
}

function withDatabase(
  deps: CommandDeps,
  work: (db: ReturnType<CommandDeps['openDatabase']>['storage']['db']) => void,
) {
  const { storage } = deps.openDatabase();
  try {
    work(storage.db);
  } finally {
    storage.close();
  }
}
