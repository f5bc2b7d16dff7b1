// `touchline repair-sessions`: gives sessions stored before landing order their true landing, from the inbox.
import { parseArgs } from 'node:util';
import { repairSessions, type RepairProgress, type RepairSessionsResult } from '@touchline/server';
import { openStorage } from '@touchline/storage';
import { databaseFrom, UsageError, type CliIo } from '../cli-io.js';

export const REPAIR_SESSIONS_HELP = `Usage:
  touchline repair-sessions [--account NAME] [--db PATH|URL] [--dry-run] [--json]
    Before landing order (issue 25), a session kept the landing of whichever of its items was
    processed first: with several app servers, often its second pageview, so the channel said
    "direct". This re-derives the landing of every session stored before the upgrade from the
    processed inbox rows, with the rule live processing now uses, and prints how many sessions
    move from which channel to which. A session some of whose items are no longer in the inbox
    (deleted by --retention-days) keeps its landing. Safe while the collector runs; re-runnable.`;

const number = (n: number): string => n.toLocaleString('en-US');

function formatProgress(p: RepairProgress): string {
  if (p.phase === 'read') return `read ${number(p.rows)} inbox rows (seq ${number(p.seq)} of ${number(p.lastSeq)})\n`;
  return `repaired ${number(p.repaired)} sessions\n`;
}

function formatResult(r: RepairSessionsResult, dryRun: boolean): string {
  if (r.legacySessions === 0) return 'Nothing to repair: every session already has a ranked landing.\n';
  const verb = dryRun ? 'would get' : 'got';
  const lines = [
    `${number(r.legacySessions)} sessions were stored before landing order; ${number(r.rowsRead)} inbox rows read.`,
    `${number(r.repairable)} ${dryRun ? 'can be' : 'were'} repaired; ${number(r.changed)} ${verb} a different landing.`,
    `${number(r.incomplete)} keep their landing: some of their items are no longer in the inbox.`,
  ];
  const moved = r.moves.filter((m) => m.from !== m.to);
  if (moved.length > 0) {
    lines.push(`Channel ${dryRun ? 'changes' : 'changed'}:`);
    for (const m of moved)
      lines.push(`  ${(m.from ?? '(none)').padEnd(15)} -> ${(m.to ?? '(none)').padEnd(15)} ${number(m.sessions)}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function repairSessionsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      account: { type: 'string' },
      db: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 0) throw new UsageError(`repair-sessions: unexpected argument "${positionals[0] ?? ''}"`);
  const storage = openStorage(databaseFrom(values.db, io.env));
  try {
    await storage.migrate();
    let accountId: string | null = null;
    if (values.account !== undefined) {
      const account = await storage.findAccount(values.account);
      if (account === null) throw new UsageError(`repair-sessions: no account named "${values.account}"`);
      accountId = account.id;
    }
    const dryRun = values['dry-run'];
    const result = await repairSessions(storage, {
      accountId,
      dryRun,
      onProgress: (p) => io.stderr.write(formatProgress(p)),
    });
    if (values.json) io.stdout.write(`${JSON.stringify({ dry_run: dryRun, ...result })}\n`);
    else io.stdout.write(formatResult(result, dryRun));
    return 0;
  } finally {
    await storage.close();
  }
}
