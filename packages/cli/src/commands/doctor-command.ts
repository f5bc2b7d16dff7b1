// `touchline doctor`: runs the integrity checks (DESIGN.md L6) for every account, or one, and prints what each found.
import { parseArgs } from 'node:util';
import {
  describeThresholds,
  evaluateDisk,
  evaluateIntegrity,
  gatherIntegrityFacts,
  parseServerSettings,
  type CheckResult,
  type IntegrityReport,
} from '@touchline/server';
import { openStorage, type Account } from '@touchline/storage';
import { databaseFrom, UsageError, type CliIo } from '../cli-io.js';

export const DOCTOR_HELP = `Usage:
  touchline doctor [--account NAME] [--db PATH|URL] [--json]
    Checks each account's data for integrity problems (sessions per visitor, extreme visitors,
    flapping sessions, empty sessions, self-referrals, session rate, event volume, and the SDK's
    delivery health: dropped items, 401/403s, share of bot navigations), and the database's disk:
    the SQLite write-ahead log against its bound (env TOUCHLINE_WAL_LIMIT_MB, default 64) and free
    disk against a margin (env TOUCHLINE_MIN_FREE_DISK_MB, default 1024).
    Exit code 1 when any check is in alert.`;

export interface AccountReport {
  account: string;
  account_id: string;
  report: IntegrityReport;
}

function formatValue(c: CheckResult): string {
  if (c.value === null) return 'n/a';
  const rounded = Math.round(c.value * 100) / 100;
  return c.unit === '%' ? `${rounded}%` : `${rounded}`;
}

function formatCheck(c: CheckResult): string {
  const head = `  ${c.state.toUpperCase().padEnd(5)}  ${c.title}: ${formatValue(c)} (${c.window}; ${describeThresholds(c.thresholds)})`;
  const note = c.note === null ? '' : `\n         ${c.note}`;
  return `${head}${note}\n         ${c.explanation}`;
}

export function formatAccountReport(r: AccountReport): string {
  return `Account "${r.account}": ${r.report.state.toUpperCase()}\n${r.report.checks.map(formatCheck).join('\n')}`;
}

const MIB = 1024 * 1024;

/** The same disk limits `touchline serve` reads from the environment. */
function diskLimitsFrom(env: CliIo['env']): { walLimitBytes: number; minFreeBytes: number } {
  const mib = (name: string): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`doctor: ${name} must be a positive integer, got "${value}"`);
    return n * MIB;
  };
  const walLimitBytes = mib('TOUCHLINE_WAL_LIMIT_MB');
  const minFreeBytes = mib('TOUCHLINE_MIN_FREE_DISK_MB');
  return parseServerSettings({
    disk: {
      ...(walLimitBytes === undefined ? {} : { walLimitBytes }),
      ...(minFreeBytes === undefined ? {} : { minFreeBytes }),
    },
  }).disk;
}

export async function doctorCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { account: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length > 0) throw new UsageError(`doctor: unexpected argument "${positionals[0] ?? ''}"`);
  const limits = diskLimitsFrom(io.env);
  const storage = openStorage(databaseFrom(values.db, io.env), { walLimitBytes: limits.walLimitBytes });
  try {
    await storage.migrate();
    let accounts: Account[];
    if (values.account !== undefined) {
      const account = await storage.findAccount(values.account);
      if (account === null) throw new UsageError(`doctor: no account named "${values.account}"`);
      accounts = [account];
    } else {
      accounts = await storage.listAccounts();
    }
    const now = Date.now();
    const reports: AccountReport[] = [];
    for (const account of accounts) {
      const report = evaluateIntegrity(await gatherIntegrityFacts(storage, account.id, now));
      reports.push({ account: account.name, account_id: account.id, report });
    }
    const disk = evaluateDisk(await storage.diskUsage(), limits, now);
    if (values.json)
      io.stdout.write(`${JSON.stringify({ checked_at: new Date(now).toISOString(), accounts: reports, disk })}\n`);
    else {
      const accountsText = reports.length === 0 ? 'No accounts.' : reports.map(formatAccountReport).join('\n\n');
      io.stdout.write(
        `${accountsText}\n\nDisk: ${disk.state.toUpperCase()}\n${disk.checks.map(formatCheck).join('\n')}\n`,
      );
    }
    return reports.some((r) => r.report.state === 'alert') || disk.state === 'alert' ? 1 : 0;
  } finally {
    await storage.close();
  }
}
