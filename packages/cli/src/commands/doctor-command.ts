// `touchline doctor`: runs the integrity checks (DESIGN.md L6) for every account, or one, and prints what each found.
import { parseArgs } from 'node:util';
import { describeThresholds, evaluateIntegrity, gatherIntegrityFacts, type CheckResult, type IntegrityReport } from '@touchline/server';
import { openStorage, type Account } from '@touchline/storage';
import { databaseFrom, UsageError, type CliIo } from '../cli-io.js';

export const DOCTOR_HELP = `Usage:
  touchline doctor [--account NAME] [--db PATH|URL] [--json]
    Checks each account's data for integrity problems (sessions per visitor, extreme visitors,
    flapping sessions, empty sessions, self-referrals, session rate, event volume, and the SDK's
    delivery health: dropped items, 401/403s, share of bot navigations).
    Exit code 1 when any check is in alert.`;

export interface AccountReport { account: string; account_id: string; report: IntegrityReport }

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

export async function doctorCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { account: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length > 0) throw new UsageError(`doctor: unexpected argument "${positionals[0] ?? ''}"`);
  const storage = openStorage(databaseFrom(values.db, io.env));
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
    if (values.json) io.stdout.write(`${JSON.stringify({ checked_at: new Date(now).toISOString(), accounts: reports })}\n`);
    else io.stdout.write(`${reports.length === 0 ? 'No accounts.' : reports.map(formatAccountReport).join('\n\n')}\n`);
    return reports.some((r) => r.report.state === 'alert') ? 1 : 0;
  } finally {
    await storage.close();
  }
}
