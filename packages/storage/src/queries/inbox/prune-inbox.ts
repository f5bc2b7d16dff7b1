// pruneInbox: one bounded step of deleting processed inbox rows (and their dedupe keys) received before a cutoff, walking the inbox in arrival order.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import { walHasRoom, type SqliteConnection } from '../../dialects/sqlite-connection.js';

/** One step of pruning processed inbox rows (see Storage.pruneInbox). */
export interface InboxPruneOptions {
  /** Rows received before this (epoch ms) may go. */
  before: number;
  /** Where the walk is: the lastSeq of the previous step (0 to start). */
  afterSeq: number;
  /** Rows looked at in this step. */
  limit: number;
}

export interface InboxPruneStep {
  /** Processed rows deleted (with their dedupe keys). */
  deleted: number;
  /** The last seq looked at: the next step's afterSeq. */
  lastSeq: number;
  /** Nothing further along is old enough (or the inbox ends here). */
  done: boolean;
  /** True when the step wrote nothing because the SQLite write-ahead log is at its bound (a long reader pins it); the next run tries again. */
  deferred?: boolean;
}

// The next page of the inbox in seq (arrival) order: its last seq, and its oldest and newest receipt.
const SQLITE_PAGE = `SELECT MAX(seq) AS last, MIN(received_at) AS oldest, COUNT(*) AS n
  FROM (SELECT seq, received_at FROM inbox WHERE seq > ? ORDER BY seq LIMIT ?)`;
// Done rows only: a pending row still has to be processed, and a dead-lettered row keeps its payload
// for whoever looks into why (retention removes both). The row's UNIQUE (account, item id) goes with it.
const SQLITE_DELETE = `DELETE FROM inbox WHERE seq > ? AND seq <= ? AND received_at < ?
  AND seq NOT IN (SELECT seq FROM inbox_pending) AND seq NOT IN (SELECT seq FROM inbox_dead)`;

interface Page {
  last: number | null;
  oldest: number | null;
  n: number;
}

function sqlitePrune(c: SqliteConnection, o: InboxPruneOptions): InboxPruneStep {
  if (!walHasRoom(c)) return { deleted: 0, lastSeq: o.afterSeq, done: true, deferred: true };
  return c.db
    .transaction((): InboxPruneStep => {
      const page = c.statement<[number, number], Page>(SQLITE_PAGE).get(o.afterSeq, o.limit) as Page;
      if (page.last === null || page.oldest === null) return { deleted: 0, lastSeq: o.afterSeq, done: true };
      const deleted = c.statement<[number, number, number]>(SQLITE_DELETE).run(o.afterSeq, page.last, o.before).changes;
      return { deleted, lastSeq: page.last, done: page.n < o.limit || page.oldest >= o.before };
    })
    .immediate();
}

// PostgreSQL: the page walks the (seq, received_at) primary key of every partition in seq order. The
// dedupe key lives in inbox_keys (a partitioned table cannot hold a unique key without received_at).
const PG_PAGE = `SELECT MAX(seq) AS last, MIN(received_at) AS oldest, COUNT(*)::integer AS n
  FROM (SELECT seq, received_at FROM inbox WHERE seq > $1 ORDER BY seq LIMIT $2) AS page`;
const PG_DELETE = `WITH gone AS (
    DELETE FROM inbox AS i WHERE i.seq > $1 AND i.seq <= $2 AND i.received_at < $3
      AND NOT EXISTS (SELECT 1 FROM inbox_pending AS p WHERE p.seq = i.seq)
      AND NOT EXISTS (SELECT 1 FROM inbox_dead AS d WHERE d.seq = i.seq)
    RETURNING i.account_key, i.item_id),
  keys AS (DELETE FROM inbox_keys AS k USING gone WHERE k.account_key = gone.account_key AND k.item_id = gone.item_id RETURNING 1)
  SELECT (SELECT COUNT(*) FROM gone)::integer AS deleted`;

// A compacted row (compactInbox) is gone from inbox already and left its key behind: keys received
// before the cutoff go here too, a bounded batch a step, except those of rows still pending or
// dead-lettered (few: NOT IN hashes them once).
const PG_OLD_KEYS = `DELETE FROM inbox_keys AS k WHERE k.ctid = ANY(ARRAY(
    SELECT ctid FROM inbox_keys WHERE received_at < $1 ORDER BY received_at LIMIT $2))
  AND (k.account_key, k.item_id) NOT IN (
    SELECT i.account_key, i.item_id FROM inbox_pending AS p JOIN inbox AS i ON i.seq = p.seq AND i.received_at = p.received_at
      WHERE p.received_at < $1
    UNION ALL SELECT i.account_key, i.item_id FROM inbox_dead AS d JOIN inbox AS i ON i.seq = d.seq AND i.received_at = d.received_at
      WHERE d.received_at < $1)`;

async function pgPrune(client: PgQueryable, o: InboxPruneOptions): Promise<InboxPruneStep> {
  const page = (await client.query<Page>(PG_PAGE, [o.afterSeq, o.limit])).rows[0] as Page;
  const keys = (await client.query(PG_OLD_KEYS, [o.before, o.limit])).rowCount ?? 0;
  const keysDone = keys < o.limit;
  if (page.last === null || page.oldest === null) return { deleted: 0, lastSeq: o.afterSeq, done: keysDone };
  const last = Number(page.last);
  const oldest = Number(page.oldest);
  const deleted =
    (await client.query<{ deleted: number }>(PG_DELETE, [o.afterSeq, last, o.before])).rows[0]?.deleted ?? 0;
  return { deleted, lastSeq: last, done: keysDone && (page.n < o.limit || oldest >= o.before) };
}

/**
 * One step, one short transaction: looks at the next `limit` inbox rows after `afterSeq` and
 * deletes those received before `before` that are done (neither pending nor dead-lettered). Rows
 * arrive in seq order with growing receipt times, so the walk is `done` at the first page with
 * nothing old enough (or at the end): the caller starts at seq 0 each run and stops there.
 */
export function pruneInbox(conn: Connection, options: InboxPruneOptions): Promise<InboxPruneStep> {
  return runQuery(conn, 'pruneInbox', {
    sqlite: (c) => sqlitePrune(c, options),
    postgres: (c) => c.transaction((client) => pgPrune(client, options)),
  });
}
