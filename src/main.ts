import { createApp } from './app.ts';
import { ConfigError, isLoopbackHost, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { openStorage } from './storage/database.ts';

/** Start-up only: load config, open the database, build the app, listen. */

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`folio: ${error.message}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
const storage = openStorage(config.databasePath);
const app = await createApp({ config, storage, logger });

let server: ReturnType<typeof Bun.serve>;
try {
  server = Bun.serve({
    port: config.port,
    hostname: config.host,
    maxRequestBodySize: Math.max(config.maxDocumentBytes * 2, 1024 * 1024),
    idleTimeout: 0,
    fetch: (request, bunServer) => app.fetch(request, bunServer),
  });
} catch (error) {
  const code = (error as { code?: string }).code;
  const reason =
    code === 'EADDRINUSE'
      ? `port ${config.port} is already in use; stop the other server or set PORT`
      : `cannot listen on ${config.host}:${config.port} (${code ?? String(error)}); ` +
        'check HOST and PORT';
  process.stderr.write(`folio: ${reason}\n`);
  process.exit(1);
}

if (!isLoopbackHost(new URL(config.issuerUrl).hostname) && !config.secureCookies) {
  logger.warn('insecure.issuer', {
    message:
      'PUBLIC_URL is plain http on a non-loopback host; tokens and passwords travel unencrypted',
  });
}
if (config.signup === 'open') {
  logger.warn('signup.open', { message: 'anyone who can reach this server can create an account' });
}

if (config.google) {
  process.stderr.write(
    `Google sign-in is on. In Google's console, add this authorized redirect URI:\n` +
      `  ${config.issuerUrl}/login/google/callback\n`,
  );
}
if (config.oidc) {
  process.stderr.write(
    `OpenID sign-in (${config.oidc.issuerUrl}) is on. Register this redirect URI there:\n` +
      `  ${config.issuerUrl}/login/oidc/callback\n`,
  );
}
if (config.signup === 'open' && (config.google || config.oidc)) {
  if (config.allowedEmails.length === 0 && config.allowedDomains.length === 0) {
    logger.warn('signin.unrestricted', {
      message:
        'anyone with an account at the sign-in provider can use this server; ' +
        'set ALLOWED_EMAILS or ALLOWED_DOMAINS',
    });
  }
}

logger.info('started', { url: config.issuerUrl, mcp_url: config.mcpUrl, port: server.port });
process.stderr.write(
  `\nFolio is running. MCP URL: ${config.mcpUrl}\n` +
    `Connect: add ${config.mcpUrl} as a remote MCP server (custom connector) in your AI client; ` +
    `it will open ${config.issuerUrl} for you to sign in.\n\n`,
);

const shutdown = async () => {
  server.stop();
  await app.close();
  storage.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
