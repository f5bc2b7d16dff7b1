// The account id -> internal account key lookup that every data query embeds (data tables store the integer key).

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
