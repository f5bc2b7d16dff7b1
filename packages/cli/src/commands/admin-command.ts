// `touchline admin set-password`: stores the dashboard's admin password as a scrypt hash in the database.
import { parseArgs } from 'node:util';
import { hashPassword, passwordProblem } from '@touchline/dashboard';
import { openStorage } from '@touchline/storage';
import { databaseFrom, UsageError, type CliIo } from '../cli-io.js';

export const ADMIN_HELP = `Usage: echo "PASSWORD" | touchline admin set-password [--db PATH]
  Reads the dashboard admin password (at least 10 characters) from standard input and stores
  its scrypt hash and signs out every session of the built-in admin (named users, see
  \`touchline users\`, keep theirs). TOUCHLINE_ADMIN_PASSWORD, when set on \`touchline serve\`, takes precedence.`;

/** The first line of the input; refuses an interactive terminal, where the password would be echoed. */
async function readPassword(input: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  if (input.isTTY === true) {
    throw new UsageError(
      'admin set-password: pipe the password on standard input (e.g. `read -rs P; echo "$P" | touchline admin set-password`) so it is never echoed',
    );
  }
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > 4096) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

export async function adminCommand(argv: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb !== 'set-password')
    throw new UsageError(`admin: unknown subcommand "${verb ?? ''}" (expected set-password)`);
  const { values } = parseArgs({ args: rest, strict: true, options: { db: { type: 'string' } } });
  const password = await readPassword(io.stdin ?? process.stdin);
  const problem = passwordProblem(password);
  if (problem !== null) throw new UsageError(`admin set-password: ${problem} (read from standard input)`);
  const db = databaseFrom(values.db, io.env);
  const storage = openStorage(db);
  let signedOut = 0;
  try {
    await storage.migrate();
    await storage.setAdminSetting('admin_password_hash', await hashPassword(password), Date.now());
    // Whoever signed in with the old password is signed out, on every collector sharing the database;
    // named users signed in with their own passwords, which did not change.
    signedOut = await storage.deleteDashboardSessions({ userId: null });
  } finally {
    await storage.close();
  }
  io.stdout.write(
    `Admin password set in ${db}; ${signedOut} dashboard session(s) signed out. Sign in to the dashboard at the collector's address (/).` +
      `${io.env.TOUCHLINE_ADMIN_PASSWORD ? ' Note: TOUCHLINE_ADMIN_PASSWORD is set in this environment and takes precedence.' : ''}\n`,
  );
  return 0;
}
