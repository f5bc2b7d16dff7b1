// `touchline users invite|list|remove|set-role`: named dashboard users and their one-time invitation links, straight on the database.
import { parseArgs } from 'node:util';
import {
  createInvitation,
  DEFAULT_INVITATION_HOURS,
  expiresHoursProblem,
  invitationLink,
  normalizeLogin,
  roleProblem,
} from '@touchline/dashboard';
import { openStorage, type DashboardRole, type DashboardUserWithHash, type Storage } from '@touchline/storage';
import { databaseFrom, UsageError, type CliIo } from '../cli-io.js';

export const USERS_HELP = `Usage: touchline users invite --role admin|viewer [--account ID|NAME ...] [--name LOGIN] [--expires-hours 72] [--base-url URL] [--db PATH|URL]
       touchline users list [--json] [--db PATH|URL]
       touchline users remove LOGIN|ID [--db PATH|URL]
       touchline users set-role LOGIN|ID --role admin|viewer [--account ID|NAME ...] [--db PATH|URL]
  Named dashboard users beside the built-in admin (the admin password). An admin does everything;
  a viewer reads only the given accounts (repeat --account) and changes nothing. invite prints a
  one-time link (<base>/#invite=TOKEN; only its SHA-256 is stored) that lets the person set a
  password once (and choose a login name when --name is not given); a used or expired link is
  refused. --base-url: the dashboard's address (env TOUCHLINE_PUBLIC_URL, default http://localhost:8710).
  remove (a user, or an unused invitation by its id) and set-role end that user's sessions.`;

const OPTIONS = {
  role: { type: 'string' },
  account: { type: 'string', multiple: true, default: [] as string[] },
  name: { type: 'string' },
  'expires-hours': { type: 'string' },
  'base-url': { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>
>['values'];

/** --account takes an id or a name; each must name an existing account. */
async function accountIds(storage: Storage, verb: string, given: string[]): Promise<string[]> {
  const accounts = await storage.listAccounts();
  return given.map((text) => {
    const found = accounts.find((a) => a.id === text) ?? accounts.find((a) => a.name === text);
    if (found === undefined)
      throw new UsageError(`users ${verb}: no account with id or name "${text}" (see touchline keys list)`);
    return found.id;
  });
}

async function roleAndAccounts(
  storage: Storage,
  verb: string,
  values: Values,
): Promise<{ role: DashboardRole; ids: string[] }> {
  if (values.role === undefined) throw new UsageError(`users ${verb}: --role admin|viewer is required`);
  const ids = await accountIds(storage, verb, values.account);
  const problem = await roleProblem(storage, values.role, ids);
  if (problem !== null)
    throw new UsageError(
      `users ${verb}: ${problem.replace('give accounts only to a viewer', 'give --account only with --role viewer').replace('needs at least one account', 'needs at least one --account')}`,
    );
  return { role: values.role as DashboardRole, ids };
}

/** A user by login name or id. */
async function findUser(storage: Storage, text: string): Promise<DashboardUserWithHash | null> {
  const normal = normalizeLogin(text);
  return (
    ('login' in normal ? await storage.findDashboardUser({ login: normal.login }) : null) ??
    storage.findDashboardUser({ id: text })
  );
}

async function invite(storage: Storage, values: Values, io: CliIo): Promise<number> {
  const { role, ids } = await roleAndAccounts(storage, 'invite', values);
  const hours = values['expires-hours'] === undefined ? DEFAULT_INVITATION_HOURS : Number(values['expires-hours']);
  const hoursProblem = expiresHoursProblem(hours);
  if (hoursProblem !== null)
    throw new UsageError(`users invite: --expires-hours "${values['expires-hours'] ?? ''}": ${hoursProblem}`);
  let login: string | null = null;
  if (values.name !== undefined) {
    const normal = normalizeLogin(values.name);
    if ('problem' in normal) throw new UsageError(`users invite: --name: ${normal.problem}`);
    if ((await storage.findDashboardUser({ login: normal.login })) !== null)
      throw new UsageError(`users invite: a user named ${normal.login} exists already`);
    login = normal.login;
  }
  const { token, invitation } = await createInvitation(storage, {
    role,
    accountIds: ids,
    login,
    expiresHours: hours,
    now: Date.now(),
  });
  const base = values['base-url'] ?? (io.env.TOUCHLINE_PUBLIC_URL || 'http://localhost:8710');
  io.stdout.write(
    `Invitation ${invitation.id} for ${login ?? '(a login name the person chooses)'} as ${role}${role === 'viewer' ? ` of ${ids.join(', ')}` : ''}, ` +
      `valid until ${new Date(invitation.expiresAt).toISOString()} and usable once. Send this link (shown only now):\n${invitationLink(base, token)}\n`,
  );
  return 0;
}

async function list(storage: Storage, values: Values, io: CliIo): Promise<number> {
  const { users, invitations } = await storage.listDashboardUsers();
  const now = Date.now();
  if (values.json) {
    io.stdout.write(
      `${JSON.stringify({
        users: users.map((u) => ({ id: u.id, login: u.login, role: u.role, accounts: u.accountIds })),
        invitations: invitations.map((i) => ({
          id: i.id,
          login: i.login,
          role: i.role,
          accounts: i.accountIds,
          expires_at: new Date(i.expiresAt).toISOString(),
          expired: i.expiresAt <= now,
        })),
      })}\n`,
    );
    return 0;
  }
  io.stdout.write(`Built-in admin: signs in with the admin password alone (touchline admin set-password).\n`);
  for (const u of users)
    io.stdout.write(
      `user ${u.login}  ${u.role}${u.role === 'viewer' ? ` of ${u.accountIds.join(', ')}` : ''}  (id ${u.id})\n`,
    );
  for (const i of invitations) {
    io.stdout.write(
      `invitation ${i.id}  ${i.login ?? '(login chosen on use)'}  ${i.role}${i.role === 'viewer' ? ` of ${i.accountIds.join(', ')}` : ''}  ${i.expiresAt <= now ? 'expired' : `until ${new Date(i.expiresAt).toISOString()}`}\n`,
    );
  }
  return 0;
}

async function run(storage: Storage, verb: string, positionals: string[], values: Values, io: CliIo): Promise<number> {
  if (verb === 'invite') return invite(storage, values, io);
  if (verb === 'list') return list(storage, values, io);
  const target = positionals[0];
  if (target === undefined) throw new UsageError(`users ${verb}: LOGIN or ID is required (see touchline users list)`);
  const user = await findUser(storage, target);
  if (verb === 'remove') {
    if (user !== null && (await storage.removeDashboardUser(user.id))) {
      io.stdout.write(`Removed user ${user.login}; their dashboard sessions are ended.\n`);
      return 0;
    }
    if (await storage.revokeDashboardInvitation(target)) {
      io.stdout.write(`Revoked invitation ${target}; its link is refused from now on.\n`);
      return 0;
    }
    io.stderr.write(`touchline: no dashboard user or unused invitation "${target}" (see touchline users list)\n`);
    return 1;
  }
  const { role, ids } = await roleAndAccounts(storage, 'set-role', values);
  if (
    user === null ||
    !(await storage.setDashboardUserRole({ userId: user.id, role, accountIds: ids, now: Date.now() }))
  ) {
    io.stderr.write(`touchline: no dashboard user "${target}" (see touchline users list)\n`);
    return 1;
  }
  io.stdout.write(
    `${user.login} is now ${role}${role === 'viewer' ? ` of ${ids.join(', ')}` : ''}; their dashboard sessions are ended (they sign in again).\n`,
  );
  return 0;
}

export async function usersCommand(argv: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || !['invite', 'list', 'remove', 'set-role'].includes(verb)) {
    throw new UsageError(`users: unknown subcommand "${verb ?? ''}" (expected invite, list, remove or set-role)`);
  }
  const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  const storage = openStorage(databaseFrom(values.db, io.env));
  try {
    await storage.migrate();
    return await run(storage, verb, positionals, values, io);
  } finally {
    await storage.close();
  }
}
