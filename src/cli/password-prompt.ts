import { CliError } from './command.ts';

/**
 * Reads a password for an admin command: typed at a terminal without echo, or else the first
 * line of piped stdin (`echo "$PASSWORD" | bun run folio users add ann@example.com`).
 */
export async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return readFirstLine();

  const password = await promptHidden(prompt);
  const again = await promptHidden('Same password again: ');
  if (password !== again) throw new CliError('password: the two entries do not match');
  return password;
}

async function readFirstLine(): Promise<string> {
  const text = await Bun.stdin.text();
  const line = text.split('\n', 1)[0]?.replace(/\r$/, '') ?? '';
  if (!line) throw new CliError('password: expected it on the first line of stdin, got nothing');
  return line;
}

function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();

  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') {
          return finish(new CliError('password: entry cancelled'));
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    stdin.on('data', onData);
  });
}
