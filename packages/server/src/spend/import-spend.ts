// One ad spend import, as every entry point runs it (API, dashboard, CLI): parsed rows stored whole, or a refusal that says why.
import type { Storage } from '@touchline/storage';
import type { ParsedSpend, SpendError } from './parse-spend.js';

export type SpendImport =
  | { kind: 'stored'; written: number; currency: string | null }
  | { kind: 'refused'; code: 'invalid_spend' | 'mixed_currencies'; message: string; errors: SpendError[] };

/** Stores `parsed` for the account unless it has bad rows or would mix currencies; nothing is stored on a refusal. */
export async function importSpend(
  storage: Pick<Storage, 'upsertSpend'>,
  accountId: string,
  parsed: ParsedSpend,
  now: number,
): Promise<SpendImport> {
  if (parsed.kind === 'err') {
    const errors = parsed.error;
    const first = errors[0];
    return {
      kind: 'refused',
      code: 'invalid_spend',
      errors,
      message: `${errors.length} problem(s); nothing was stored. First: line ${first?.line}: ${first?.message}`,
    };
  }
  const rows = parsed.value;
  const result = await storage.upsertSpend(accountId, rows, now);
  if (result.kind === 'mixed_currencies') {
    const added = result.currencies.filter((c) => !result.stored.includes(c));
    return {
      kind: 'refused',
      code: 'mixed_currencies',
      errors: [],
      message: `ad spend is kept in one currency per account (stored: ${result.stored.join(', ')}); this import has ${added.join(', ')}; nothing was stored`,
    };
  }
  return { kind: 'stored', written: result.written, currency: rows[0]?.currency ?? null };
}
