// Multi-row INSERT support: the placeholder list for n rows, and splitting a list into statement-sized chunks.
/**
 * Rows per INSERT statement. One statement for many rows saves a VDBE program start and a
 * JS-to-native call per row; 50 rows of up to 13 columns stays far below SQLite's 32766
 * bound-parameter limit, and a short tail gets its own (cached) statement.
 */
export const ROWS_PER_INSERT = 50;

/**
 * `(?, ?, ?), (?, ?, ?)` for `rows` rows whose first column is the account key (bound as a value,
 * see sqliteAccountKeys) followed by `columns` more bound parameters. Only placeholders, never any data.
 */
export function accountRowsPlaceholders(columns: number, rows: number): string {
  const row = `(${Array.from({ length: columns + 1 }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}

/** Consecutive slices of at most `size` elements. */
export function chunks<T>(items: readonly T[], size: number = ROWS_PER_INSERT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
