// `touchline erase --visitor ID | --user ID`: a data-subject erasure from the command line, as DELETE /api/v1/... does it.
import { parseArgs } from 'node:util';
import { cookielessInboxVisitor, erasureJson, parseServerSettings, tombstoneLifetimeMs } from '@touchline/server';
import { openStorage, TEST_ACCOUNT_SUFFIX } from '@touchline/storage';
import { databaseFrom, UsageError, type CliIo } from '../cli-io.js';

export const ERASE_HELP = `Usage:
  touchline erase --account NAME (--visitor ID | --user ID) [--db PATH|URL] [--json]
    Removes every trace of one person: the visitor or user, every device and user id linked to
    them through identify, their sessions, events, conversions, identities, inbox items and their
    share of the rollups; leaves tombstones so a retried batch cannot bring them back (31 days and an
    hour: the oldest item the collector accepts, plus a day) and an audit row without their ids. Idempotent. See README "Privacy".`;

export async function eraseCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      account: { type: 'string' },
      visitor: { type: 'string' },
      user: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 0) throw new UsageError(`erase: unexpected argument "${positionals[0] ?? ''}"`);
  if ((values.visitor === undefined) === (values.user === undefined))
    throw new UsageError('erase: give exactly one of --visitor ID or --user ID');
  const name = values.account?.trim();
  if (!name) throw new UsageError('erase: --account NAME is required');
  const subject =
    values.visitor !== undefined
      ? { kind: 'visitor' as const, id: values.visitor }
      : { kind: 'user' as const, id: values.user ?? '' };
  const max = subject.kind === 'visitor' ? 64 : 256;
  if (subject.id.length === 0 || subject.id.length > max)
    throw new UsageError(`erase: --${subject.kind} must be 1-${max} characters`);
  const storage = openStorage(databaseFrom(values.db, io.env));
  try {
    await storage.migrate();
    const account = await storage.findAccount(name);
    if (account === null)
      throw new UsageError(
        `erase: no account named "${name}"${name.endsWith(TEST_ACCOUNT_SUFFIX) ? '' : ' (test-mode data lives in "<name> (test mode)")'}`,
      );
    const now = Date.now();
    const result = await storage.erasePerson({
      accountId: account.id,
      subject,
      requestedBy: 'cli',
      now,
      tombstoneMs: tombstoneLifetimeMs(parseServerSettings({})),
      // In the CLI's own process (no collector's event loop to keep free): the matcher runs inline.
      async cookielessItems(q) {
        const cookieless = await cookielessInboxVisitor(storage, account.id, now);
        return cookieless === undefined ? [] : storage.cookielessInboxSeqs(q, cookieless);
      },
    });
    const json = erasureJson(result);
    if (values.json) io.stdout.write(`${JSON.stringify(json)}\n`);
    else {
      const r = json.removed;
      io.stdout.write(
        `Erased ${subject.kind} from "${account.name}": ${json.visitor_ids} visitor id(s) and ${json.user_ids} user id(s) covered.\n` +
          `Removed ${r.visitors} visitors, ${r.sessions} sessions, ${r.events} events, ${r.conversions} conversions, ${r.identities} identities, ` +
          `${r.inbox_items} inbox items; ${r.rollup_sessions} sessions taken out of the read model, ${r.rollup_hours} hourly totals corrected. Audit id ${json.audit_id}.\n`,
      );
    }
    return 0;
  } finally {
    await storage.close();
  }
}
