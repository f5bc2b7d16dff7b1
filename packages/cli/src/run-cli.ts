// The command dispatcher: parses the command word, runs it, and maps failures to exit codes.
import { SettingsError } from '@touchline/core';
import { PROBE_HELP, probeCommand } from '@touchline/probe';
import { UsageError, type CliIo } from './cli-io.js';
import { DEMO_HELP, demoCommand } from './commands/demo-command.js';
import { ADMIN_HELP, adminCommand } from './commands/admin-command.js';
import { DOCTOR_HELP, doctorCommand } from './commands/doctor-command.js';
import { ERASE_HELP, eraseCommand } from './commands/erase-command.js';
import { KEYS_HELP, keysCommand } from './commands/keys-command.js';
import { REPAIR_SESSIONS_HELP, repairSessionsCommand } from './commands/repair-sessions-command.js';
import { SERVE_HELP, serveCommand } from './commands/serve-command.js';
import { SPEND_HELP, spendCommand } from './commands/spend-command.js';
import { FUNNELS_HELP, funnelsCommand } from './commands/funnels-command.js';
import { UPLOADS_HELP, uploadsCommand } from './commands/uploads-command.js';
import { USERS_HELP, usersCommand } from './commands/users-command.js';

const HELP = `touchline — self-hosted visitor, session and attribution analytics

Commands:
  serve        start the collector (port 8710, SQLite ./touchline.db or a postgres:// URL)
  keys         create, list and revoke API keys
  probe        find responses, cookies and sessions that leak between concurrent users
  doctor       check each account's data for integrity problems (leaked or flapping sessions, ...)
  demo         load 30 days of realistic synthetic traffic into an account and print a key to query it
  admin        set the dashboard's admin password
  users        invite dashboard users (admin, or viewer of some accounts), list, remove, change roles
  repair-sessions  re-derive the landing and channel of sessions stored before landing order
  spend        import daily ad spend per channel and campaign (cost, ROAS and CAC in attribution)
  funnels      define goals and ordered funnels, and print a funnel's step counts by channel
  uploads      send conversions back to Google Ads and Meta (destinations, delivery log, file exports)
  erase        erase one person's data (a visitor or a user and every device linked to them)

${SERVE_HELP}

${KEYS_HELP}

${PROBE_HELP}

${DOCTOR_HELP}

${DEMO_HELP}
${ADMIN_HELP}

${USERS_HELP}

${REPAIR_SESSIONS_HELP}

${SPEND_HELP}

${FUNNELS_HELP}

${UPLOADS_HELP}

${ERASE_HELP}
`;

/** Each command's own usage, for `touchline COMMAND --help`. */
const COMMAND_HELP: Record<string, string> = {
  serve: SERVE_HELP,
  keys: KEYS_HELP,
  probe: PROBE_HELP,
  doctor: DOCTOR_HELP,
  demo: DEMO_HELP,
  admin: ADMIN_HELP,
  users: USERS_HELP,
  'repair-sessions': REPAIR_SESSIONS_HELP,
  spend: SPEND_HELP,
  funnels: FUNNELS_HELP,
  uploads: UPLOADS_HELP,
  erase: ERASE_HELP,
};

/** Exit codes: 0 ok, 1 failure, 2 usage error. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    }
    const own = COMMAND_HELP[command];
    if (own !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
      io.stdout.write(`${own.trimEnd()}\n`);
      return 0;
    }
    if (command === 'serve') return await serveCommand(rest, io);
    if (command === 'keys') return await keysCommand(rest, io);
    if (command === 'probe') return await probeCommand(rest, io);
    if (command === 'doctor') return await doctorCommand(rest, io);
    if (command === 'demo') return await demoCommand(rest, io);
    if (command === 'admin') return await adminCommand(rest, io);
    if (command === 'users') return await usersCommand(rest, io);
    if (command === 'repair-sessions') return await repairSessionsCommand(rest, io);
    if (command === 'spend') return await spendCommand(rest, io);
    if (command === 'funnels') return await funnelsCommand(rest, io);
    if (command === 'uploads') return await uploadsCommand(rest, io);
    if (command === 'erase') return await eraseCommand(rest, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.stderr.write(`touchline: ${error.message}\n\n${HELP}`);
      return 2;
    }
    if (error instanceof SettingsError) {
      io.stderr.write(`touchline: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`touchline: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
