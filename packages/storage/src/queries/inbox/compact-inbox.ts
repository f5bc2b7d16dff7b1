// compactInbox: one bounded step of dropping the payloads of processed inbox rows received before a cutoff; the item's dedupe key stays.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import { walHasRoom, type SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { InboxPruneOptions } from '../../storage.js';

export interface InboxCompactStep {
  /** Processed rows whose payload was emptied (the row stays as the item's dedupe key). */
  compacted: number;
  /** The last seq looked at: the next step's afterSeq. */
  lastSeq: number;
  /** Nothing further along is old enough (or the inbox ends here). */
  done: boolean;
  /** True when the step wrote nothing because the SQLite write-ahead log is at its bound (a long reader pins it); the next run tries again. */
  deferred?: boolean;
}

// A processed row's payload has done its work: its facts are in events, sessions, conversions and
// identities. What still matters until pruneInbox takes the row is its (account, item id): the
// dedupe key. An empty payload is the mark of a compacted row (a stored payload is never empty);
// readers of processed payloads (session repair, access export) skip such rows.
const SQLITE_PAGE = `SELECT MAX(seq) AS last, MIN(received_at) AS oldest, COUNT(*) AS n
  FROM (SELECT seq, received_at FROM inbox WHERE seq > ? ORDER BY seq LIMIT ?)`;
// The row is rewritten (REPLACE: delete, then insert under the same seq), not updated in place:
// SQLite rebalances a b-tree page that a delete leaves under a third full, but never one that an
// in-place update shrinks, so UPDATE would leave every page allocated with most of it empty. Deleted
// and rewritten, the table shrinks to its small rows and the pages it frees go to the freelist, where
// new inbox rows reuse them (measured: 411 -> 101 B/item for the table; docs/storage-bytes.md).
const SQLITE_COMPACT = `INSERT OR REPLACE INTO inbox (seq, account_key, item_id, type, payload, received_at)
  SELECT seq, account_key, item_id, type, '', received_at FROM inbox
  WHERE seq > ? AND seq <= ? AND received_at < ? AND payload <> ''
    AND seq NOT IN (SELECT seq FROM inbox_pending) AND seq NOT IN (SELECT seq FROM inbox_dead)`;

interface Page {
  last: number | null;
  oldest: number | null;
  n: number;
}

function sqliteCompact(c: SqliteConnection, o: InboxPruneOptions): InboxCompactStep {
  if (!walHasRoom(c)) return { compacted: 0, lastSeq: o.afterSeq, done: true, deferred: true };
  return c.db
    .transaction((): InboxCompactStep => {
      const page = c.statement<[number, number], Page>(SQLITE_PAGE).get(o.afterSeq, o.limit) as Page;
      if (page.last === null || page.oldest === null) return { compacted: 0, lastSeq: o.afterSeq, done: true };
      const compacted = c
        .statement<[number, number, number]>(SQLITE_COMPACT)
        .run(o.afterSeq, page.last, o.before).changes;
      return { compacted, lastSeq: page.last, done: page.n < o.limit || page.oldest >= o.before };
    })
    .immediate();
}

// PostgreSQL: the dedupe key lives in inbox_keys (pruneInbox deletes it at its time), so a compacted
// row goes altogether. Its space is reused by the partition's next rows, and a month's partition whose
// rows are all gone is truncated by VACUUM; an emptied payload would keep every row's tuple header and
// its primary-key entry for nothing.
const PG_PAGE = `SELECT MAX(seq) AS last, MIN(received_at) AS oldest, COUNT(*)::integer AS n
  FROM (SELECT seq, received_at FROM inbox WHERE seq > $1 ORDER BY seq LIMIT $2) AS page`;
const PG_COMPACT = `DELETE FROM inbox AS i WHERE i.seq > $1 AND i.seq <= $2 AND i.received_at < $3
  AND NOT EXISTS (SELECT 1 FROM inbox_pending AS p WHERE p.seq = i.seq)
  AND NOT EXISTS (SELECT 1 FROM inbox_dead AS d WHERE d.seq = i.seq)`;

async function pgCompact(client: PgQueryable, o: InboxPruneOptions): Promise<InboxCompactStep> {
  const page = (await client.query<Page>(PG_PAGE, [o.afterSeq, o.limit])).rows[0] as Page;
  if (page.last === null || page.oldest === null) return { compacted: 0, lastSeq: o.afterSeq, done: true };
  const last = Number(page.last);
  const compacted = (await client.query(PG_COMPACT, [o.afterSeq, last, o.before])).rowCount ?? 0;
  return { compacted, lastSeq: last, done: page.n < o.limit || Number(page.oldest) >= o.before };
}

/**
 * One step, one short transaction: looks at the next `limit` inbox rows after `afterSeq` and
 * empties the payload of those received before `before` that are done (neither pending nor
 * dead-lettered). `done` at the first page with nothing old enough, as in pruneInbox.
 */
export function compactInbox(conn: Connection, options: InboxPruneOptions): Promise<InboxCompactStep> {
  return runQuery(conn, 'compactInbox', {
    sqlite: (c) => sqliteCompact(c, options),
    postgres: (c) => c.transaction((client) => pgCompact(client, options)),
  });
}
