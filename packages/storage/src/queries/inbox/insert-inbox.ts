// insertInbox: stores validated items exactly once per (account, item id), in one transaction.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { InboxItem } from '../../storage.js';
import { accountRowsPlaceholders, chunks, ROWS_PER_INSERT } from '../multi-row-insert.js';

// DO NOTHING on the (account_key, item_id) key only: a retried batch is counted as duplicates,
// while any other constraint failure (an unknown account's NULL key too) aborts the whole
// transaction. Rows go up to ROWS_PER_INSERT per statement; the inbox_enqueue trigger makes each
// stored row pending, and `changes` counts only the inbox rows this statement stored, not the trigger's.
const sqliteInsert = (rows: number): string => `INSERT INTO inbox (account_key, item_id, type, payload, received_at)
  VALUES ${accountRowsPlaceholders(4, rows)}
  ON CONFLICT (account_key, item_id) DO NOTHING`;
/** The statement text for each chunk length, built once: index n holds the n-row INSERT. */
const SQLITE_INSERTS = Array.from({ length: ROWS_PER_INSERT + 1 }, (_, rows) => sqliteInsert(rows));

export interface InsertInboxResult { inserted: number; duplicates: number }

/** One request's items; the single-group case of insertInboxGroups (same transaction semantics). */
export async function insertInbox(conn: Connection, accountId: string, items: readonly InboxItem[], receivedAt: number): Promise<InsertInboxResult> {
  const [result] = await insertInboxGroups(conn, [{ accountId, items }], receivedAt);
  return result ?? { inserted: 0, duplicates: 0 };
}

export interface InboxGroup { accountId: string; items: readonly InboxItem[] }

function insertGroup(c: SqliteConnection, group: InboxGroup, receivedAt: number): InsertInboxResult {
  let inserted = 0;
  for (const part of chunks(group.items)) {
    const params: Array<string | number> = [];
    for (const item of part) params.push(group.accountId, item.itemId, item.type, item.payload, receivedAt);
    inserted += c.statement(SQLITE_INSERTS[part.length] as string).run(...params).changes;
  }
  return { inserted, duplicates: group.items.length - inserted };
}

/**
 * Several requests' items in ONE transaction (group commit): the collector coalesces the ingest
 * requests that arrive in the same event-loop turn, so N small requests cost one commit, not N.
 * Results come back per group, in order. One transaction: one WAL commit instead of one per
 * item, and all-or-nothing, so the collector never acknowledges half a batch.
 */
export function insertInboxGroups(conn: Connection, groups: readonly InboxGroup[], receivedAt: number): Promise<InsertInboxResult[]> {
  return runQuery(conn, 'insertInboxGroups', {
    sqlite: (c) => c.db.transaction(() => groups.map((group) => insertGroup(c, group, receivedAt))).immediate(),
  });
}
