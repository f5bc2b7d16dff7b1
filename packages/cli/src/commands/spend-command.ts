// `touchline spend import FILE.csv --account NAME`: ad spend from a CSV file, all rows or none, bad rows named by line.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { importSpend, parseSpendCsv } from '@touchline/server';
import { openStorage } from '@touchline/storage';
import { databaseFrom, UsageError, type CliIo } from '../cli-io.js';

export const SPEND_HELP = `Usage: touchline spend import FILE.csv --account NAME [--db PATH|URL] [--json]
  FILE.csv has a header with date (YYYY-MM-DD, UTC), channel, campaign (optional), amount and currency;
  one currency per account; a row with the same date, channel and campaign as a stored one replaces it.
  Any bad row: every problem is printed with its line, nothing is stored, exit 1.`;

export async function spendCommand(argv: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb !== 'import') throw new UsageError(`spend: unknown action "${verb ?? ''}" (expected import)`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: { account: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (file === undefined) throw new UsageError('spend import: FILE.csv is required');
  const name = values.account?.trim();
  if (!name) throw new UsageError('spend import: --account NAME is required');
  const parsed = parseSpendCsv(await readFile(file, 'utf8'));
  if (parsed.kind === 'err') {
    for (const e of parsed.error) io.stderr.write(`${file}:${e.line}: ${e.message}\n`);
    io.stderr.write(`touchline: ${parsed.error.length} problem(s) in ${file}; nothing was stored\n`);
    return 1;
  }
  const storage = openStorage(databaseFrom(values.db, io.env));
  try {
    await storage.migrate();
    const account = await storage.findAccount(name);
    if (account === null) throw new UsageError(`spend import: no account named "${name}"`);
    const done = await importSpend(storage, account.id, parsed, Date.now());
    if (done.kind === 'refused') {
      io.stderr.write(`touchline: ${file}: ${done.message}\n`);
      return 1;
    }
    io.stdout.write(
      values.json
        ? `${JSON.stringify({ account: name, written: done.written, currency: done.currency })}\n`
        : `Stored ${done.written} spend row(s) in ${done.currency} for account "${name}".\n`,
    );
    return 0;
  } finally {
    await storage.close();
  }
}
