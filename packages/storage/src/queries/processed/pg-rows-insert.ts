// PostgreSQL multi-row writes: one INSERT over parallel column arrays, unnested in the given order.
import type { PgQueryable } from '../../dialects/postgres-connection.js';

/**
 * `INSERT INTO table (account_key, columns...) SELECT ... FROM unnest($1::type[], ...)`, the first
 * array holding account ids. WITH ORDINALITY keeps the given row order. LEFT JOIN accounts gives an
 * unknown account a NULL key, which fails NOT NULL and aborts the transaction, as SQLite's scalar
 * subquery does. `types` has one more entry than `columns`: the account id's.
 */
export function pgRows(table: string, columns: readonly string[], types: readonly string[], conflict: string): string {
  return `INSERT INTO ${table} (account_key, ${columns.join(', ')})
  SELECT a.key, ${columns.map((col) => `x.${col}`).join(', ')}
  FROM unnest(${types.map((type, i) => `$${i + 1}::${type}[]`).join(', ')}) WITH ORDINALITY AS x (account, ${columns.join(', ')}, n)
  LEFT JOIN accounts AS a ON a.id = x.account
  ORDER BY x.n
  ${conflict}`;
}

/** Column arrays of `rows`: one array per parameter, in the statement's column order. */
function columnArrays<T>(rows: readonly T[], pick: (row: T) => unknown[]): unknown[][] {
  const width = rows.length === 0 ? 0 : pick(rows[0] as T).length;
  const out: unknown[][] = Array.from({ length: width }, () => []);
  for (const row of rows) pick(row).forEach((value, i) => (out[i] as unknown[]).push(value));
  return out;
}

/** Runs a pgRows statement over `rows` (nothing for none); the rows its RETURNING clause reports, if any. */
export async function pgInsert<T, R = never>(
  client: PgQueryable,
  sql: string,
  rows: readonly T[],
  pick: (row: T) => unknown[],
): Promise<R[]> {
  if (rows.length === 0) return [];
  return (await client.query(sql, columnArrays(rows, pick))).rows as R[];
}
