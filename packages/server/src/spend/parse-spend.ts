// Ad spend imports (CSV or JSON rows) checked row by row: every bad row is reported with its line, and an import with any bad row stores nothing.
import { CHANNELS, err, ok, type Result } from '@touchline/core';
import type { SpendRow } from '@touchline/storage';
import { parse } from 'csv-parse/sync';

/** Rows per import; a year of daily spend for 130 campaigns fits. */
export const MAX_SPEND_ROWS = 50_000;
/** Largest amount of one row, as for conversion revenue (WIRE_LIMITS.maxRevenue). */
const MAX_AMOUNT = 1_000_000_000;
const COLUMNS = ['date', 'channel', 'campaign', 'amount', 'currency'] as const;

/** `line`: the CSV line (header = 1) or the JSON row index, as the user can find it. */
export interface SpendError {
  line: string;
  message: string;
}
/** The import's rows, or every problem found in it (an import with any bad row stores nothing). */
export type ParsedSpend = Result<SpendRow[], SpendError[]>;

/** Whole units and up to 6 decimals, to integer micro-units without passing through a float. */
function amountMicros(text: string): Result<number> {
  const match = /^(\d{1,10})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (match === null) return err(`amount: "${text}" is not a non-negative decimal with at most 6 decimals`);
  const micros = Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
  return micros > MAX_AMOUNT * 1_000_000 ? err(`amount: ${text} is over the limit of ${MAX_AMOUNT}`) : ok(micros);
}

function validDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const at = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === text;
}

/** One row's problems (empty when it is good) and, when good, the row. */
function checkRow(raw: Record<string, unknown>): { row: SpendRow | null; problems: string[] } {
  const problems: string[] = [];
  const text = (key: string): string => (raw[key] === undefined || raw[key] === null ? '' : String(raw[key]));
  const day = text('date').trim();
  if (!validDay(day)) problems.push(`date: "${day}" is not a calendar day as YYYY-MM-DD`);
  const channel = text('channel').trim();
  if (!(CHANNELS as readonly string[]).includes(channel))
    problems.push(`channel: "${channel}" is not one of ${CHANNELS.join(', ')}`);
  const campaign = text('campaign').trim();
  if (campaign.length > 200) problems.push('campaign: longer than 200 characters');
  if (campaign.includes('\u0000')) problems.push('campaign: contains a NUL character (U+0000)');
  const amount = amountMicros(text('amount'));
  if (amount.kind === 'err') problems.push(amount.error);
  const currency = text('currency').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) problems.push(`currency: "${text('currency')}" is not a 3-letter ISO 4217 code`);
  if (problems.length > 0 || amount.kind === 'err') return { row: null, problems };
  return {
    row: { day, channel, campaign: campaign === '' ? null : campaign, currency, amountMicros: amount.value },
    problems,
  };
}

function checkRows(raws: ReadonlyArray<{ line: string; raw: Record<string, unknown> }>): ParsedSpend {
  if (raws.length === 0) return err([{ line: '-', message: 'no rows' }]);
  if (raws.length > MAX_SPEND_ROWS)
    return err([{ line: '-', message: `${raws.length} rows; at most ${MAX_SPEND_ROWS} per import` }]);
  const errors: SpendError[] = [];
  const rows: SpendRow[] = [];
  const seen = new Map<string, string>();
  for (const { line, raw } of raws) {
    const { row, problems } = checkRow(raw);
    for (const message of problems) errors.push({ line, message });
    if (row === null) continue;
    const key = `${row.day}\u0000${row.channel}\u0000${row.campaign ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) errors.push({ line, message: `same date, channel and campaign as line ${first}` });
    else seen.set(key, line);
    rows.push(row);
  }
  return errors.length > 0 ? err(errors) : ok(rows);
}

/** CSV with a header naming date, channel, campaign (optional), amount and currency, in any order. */
export function parseSpendCsv(text: string): ParsedSpend {
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      bom: true,
      trim: true,
    });
  } catch (error) {
    return err([
      { line: String((error as { lines?: number }).lines ?? '-'), message: `CSV: ${(error as Error).message}` },
    ]);
  }
  const header = Object.keys(records[0] ?? {});
  const missing = COLUMNS.filter((c) => c !== 'campaign' && !header.includes(c));
  if (records.length > 0 && missing.length > 0)
    return err([{ line: '1', message: `header: missing column(s) ${missing.join(', ')}` }]);
  // Line numbers as in the file: the header is line 1 (blank lines are skipped, so this is the record's position).
  return checkRows(records.map((raw, i) => ({ line: String(i + 2), raw })));
}

/** JSON `{ "rows": [{ date, channel, campaign?, amount, currency }] }`; amount as a string or a number. */
export function parseSpendJson(body: unknown): ParsedSpend {
  const rows = (body as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) return err([{ line: 'rows', message: 'body must be { "rows": [...] } or text/csv' }]);
  const raws = rows.map((raw: unknown, i) => ({
    line: `rows[${i}]`,
    raw: (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>,
  }));
  return checkRows(raws);
}
