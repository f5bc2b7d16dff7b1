// The account id -> internal account key lookup that every data query embeds (data tables store the integer key).
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';

/**
 * A scalar subquery taking one bound account id: the account's key, or NULL for an unknown id.
 * A NULL key fails the data tables' NOT NULL, so a write for an unknown account aborts its
 * transaction, and a read for one matches no rows. The key is the accounts rowid, so the
 * foreign key check on it is one integer lookup.
 */
export const ACCOUNT_KEY_OF = '(SELECT key FROM accounts WHERE id = ?)';
/** The same with a named parameter, for statements that bind an object. */
export const ACCOUNT_KEY_OF_NAMED = '(SELECT key FROM accounts WHERE id = @account)';

/** PostgreSQL's form, taking the account id as positional parameter $n. */
export const pgAccountKeyOf = (n: number): string => `(SELECT key FROM accounts WHERE id = $${n})`;

/**
 * For SQLite's hot multi-row writes: an account id -> key function that looks each distinct id up
 * once per call site (inside the caller's transaction), instead of a subquery per row (~1 µs per
 * row and statement). An unknown id gives null, which fails NOT NULL just as ACCOUNT_KEY_OF's NULL.
 */
export function sqliteAccountKeys(c: SqliteConnection): (accountId: string) => number | null {
  const keys = new Map<string, number | null>();
  const lookup = c.statement<[string], { key: number }>('SELECT key FROM accounts WHERE id = ?');
  return (accountId) => {
    let key = keys.get(accountId);
    if (key === undefined) {
      key = lookup.get(accountId)?.key ?? null;
      keys.set(accountId, key);
    }
    return key;
  };
}
