// insertInbox: stores validated items exactly once per (account, item id), in one transaction.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { InboxItem } from '../../storage.js';

// DO NOTHING on the (account_id, item_id) key only: a retried batch is counted as duplicates,
// while any other constraint failure still aborts the whole transaction.
const SQLITE_INSERT = `INSERT INTO inbox (account_id, item_id, type, payload, received_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (account_id, item_id) DO NOTHING`;

export interface InsertInboxResult { inserted: number; duplicates: number }

/** One request's items; the single-group case of insertInboxGroups (same transaction semantics). */
export async function insertInbox(conn: Connection, accountId: string, items: readonly InboxItem[], receivedAt: number): Promise<InsertInboxResult> {
  const [result] = await insertInboxGroups(conn, [{ accountId, items }], receivedAt);
  return result ?? { inserted: 0, duplicates: 0 };
}

export interface InboxGroup { accountId: string; items: readonly InboxItem[] }

/**
 * Several requests' items in ONE transaction (group commit): the collector coalesces the ingest
 * requests that arrive in the same event-loop turn, so N small requests cost one commit, not N.
 * Results come back per group, in order. One transaction: one WAL commit instead of one per
 * item, and all-or-nothing, so the collector never acknowledges half a batch.
 */
export function insertInboxGroups(conn: Connection, groups: readonly InboxGroup[], receivedAt: number): Promise<InsertInboxResult[]> {
  return runQuery(conn, 'insertInboxGroups', {
    sqlite: (c) => {
      const insert = c.statement<[string, string, string, string, number]>(SQLITE_INSERT);
      return c.db.transaction(() => groups.map((group) => {
        let inserted = 0;
        for (const item of group.items) inserted += insert.run(group.accountId, item.itemId, item.type, item.payload, receivedAt).changes;
        return { inserted, duplicates: group.items.length - inserted };
      })).immediate();
    },
  });
}
