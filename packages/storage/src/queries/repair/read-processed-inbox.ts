// readProcessedInbox: processed inbox rows (neither pending nor dead) after a seq, in seq order, for the session repair.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { InboxRow, ProcessedInboxPage } from '../../storage.js';

interface ItemRow {
  seq: number;
  account_id: string;
  item_id: string;
  type: string;
  payload: string;
  received_at: number;
}

// A compacted row (empty payload, see compactInbox) holds nothing to repair from: it counts as gone.
// Keyset pagination on seq (the inbox's key): each page is one index range, whatever the inbox's size.
const SQLITE_PAGE = `SELECT i.seq, a.id AS account_id, i.item_id, i.type, i.payload, i.received_at
  FROM inbox AS i JOIN accounts AS a ON a.key = i.account_key
  WHERE i.seq > @after AND i.payload <> ''
    AND (@account IS NULL OR i.account_key = (SELECT key FROM accounts WHERE id = @account))
    AND NOT EXISTS (SELECT 1 FROM inbox_pending AS p WHERE p.seq = i.seq)
    AND NOT EXISTS (SELECT 1 FROM inbox_dead AS d WHERE d.seq = i.seq)
  ORDER BY i.seq LIMIT @limit`;
const PG_PAGE = `SELECT i.seq, a.id AS account_id, i.item_id, i.type, i.payload, i.received_at
  FROM inbox AS i JOIN accounts AS a ON a.key = i.account_key
  WHERE i.seq > $1 AND i.payload <> ''
    AND ($2::text IS NULL OR i.account_key = (SELECT key FROM accounts WHERE id = $2))
    AND NOT EXISTS (SELECT 1 FROM inbox_pending AS p WHERE p.seq = i.seq)
    AND NOT EXISTS (SELECT 1 FROM inbox_dead AS d WHERE d.seq = i.seq)
  ORDER BY i.seq LIMIT $3`;
const toRow = (r: ItemRow): InboxRow => ({
  seq: r.seq,
  accountId: r.account_id,
  itemId: r.item_id,
  type: r.type,
  payload: r.payload,
  receivedAt: r.received_at,
  attempts: 0,
});

/** A short page was the last: the filters are in the query, so it ran to the inbox's end. */
const nextSeq = (rows: ItemRow[], limit: number): number | null =>
  rows.length === limit ? (rows[rows.length - 1] as ItemRow).seq : null;

/** Up to `limit` rows with seq > afterSeq; `next` is where to continue, null at the end of the inbox. */
export function readProcessedInbox(
  conn: Connection,
  options: { accountId: string | null; afterSeq: number; limit: number },
): Promise<ProcessedInboxPage> {
  const { accountId, afterSeq, limit } = options;
  return runQuery(conn, 'readProcessedInbox', {
    sqlite: (c) => {
      const rows = c
        .statement<[{ after: number; account: string | null; limit: number }], ItemRow>(SQLITE_PAGE)
        .all({ after: afterSeq, account: accountId, limit });
      return { rows: rows.map(toRow), next: nextSeq(rows, limit) };
    },
    postgres: async (c) => {
      const rows = await c.rows<ItemRow>(PG_PAGE, [afterSeq, accountId, limit]);
      return { rows: rows.map(toRow), next: nextSeq(rows, limit) };
    },
  });
}
