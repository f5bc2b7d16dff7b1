// cookielessInboxSeqs: the inbox's cookieless items whose computed visitor is one of a person's, by seq: erasure's matcher, run on a read thread.
//
// The inbox keeps cookieless items with the nil visitor id, so finding a person's means one decode
// and one keyed hash per cookieless row of the account (10-33 µs each, docs/privacy.md). Inside the
// erasure's transactions that ran on the collector's event loop (on SQLite, ingest's own connection);
// here it runs in read transactions of its own, on a read connection, and the erasure then deletes
// the seqs found (erase-person.ts). Read only: each window is one short transaction, so the scan never
// pins the SQLite WAL for the whole inbox (L13).
import { COOKIELESS_ID } from '@touchline/core';
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { CookielessVisitorOf } from './inbox-payload-person.js';
import { runPgPlan, runSqlitePlan, type Plan } from './person-step.js';

/** What to look for: the person's visitor ids, in the account's inbox up to (and with) seq `throughSeq`. */
export interface CookielessInboxQuery {
  accountId: string;
  visitors: readonly string[];
  throughSeq: number;
}

/** Seqs per read transaction: the erasure's window (each costs up to ~0.15 s of hashing, off the event loop). */
const WINDOW = 5_000;
const QUOTED_NIL = JSON.stringify(COOKIELESS_ID);

function* accountKey(accountId: string): Plan<number | null> {
  const { rows } = yield {
    sqlite: 'SELECT key FROM accounts WHERE id = ?',
    postgres: 'SELECT key FROM accounts WHERE id = $1',
    params: [accountId],
  };
  return rows.length === 0 ? null : Number(rows[0]?.key);
}

/** `+account_key` keeps SQLite on the seq range, as erasure's windows do (erase-person.ts). */
function* window(key: number, after: number, through: number): Plan<Array<Record<string, unknown>>> {
  const { rows } = yield {
    sqlite: `SELECT seq, item_id, type, payload FROM inbox WHERE seq > ? AND seq <= ? AND +account_key = ?
      AND instr(payload, ?) > 0`,
    postgres: `SELECT seq, item_id, type, payload FROM inbox WHERE seq > $1 AND seq <= $2 AND account_key = $3
      AND strpos(payload, $4) > 0`,
    params: [after, through, key, QUOTED_NIL],
  };
  return rows;
}

function inReadTransaction<T>(conn: Connection, plan: () => Plan<T>): Promise<T> {
  return runQuery(conn, 'cookielessInboxSeqs', {
    sqlite: (c) => c.db.transaction(() => runSqlitePlan(c, plan())).deferred(),
    postgres: (c) =>
      c.transaction((client) => runPgPlan(client, plan()), { isolation: 'repeatable read', readOnly: true }),
  });
}

/** The seqs, ascending; empty for an unknown account or when nothing matches. */
export async function cookielessInboxSeqs(
  conn: Connection,
  q: CookielessInboxQuery,
  cookieless: CookielessVisitorOf,
): Promise<number[]> {
  const visitors = new Set(q.visitors);
  const key = await inReadTransaction(conn, () => accountKey(q.accountId));
  if (key === null || visitors.size === 0) return [];
  const seqs: number[] = [];
  for (let after = 0; after < q.throughSeq; after += WINDOW) {
    // Where it runs inline (the CLI, a collector without read threads), other work gets a turn between windows.
    await new Promise((resolve) => setImmediate(resolve));
    const through = Math.min(after + WINDOW, q.throughSeq);
    for (const r of await inReadTransaction(conn, () => window(key, after, through))) {
      const visitor = cookieless({ itemId: String(r.item_id), type: String(r.type), payload: String(r.payload) });
      if (visitor !== null && visitors.has(visitor)) seqs.push(Number(r.seq));
    }
  }
  return seqs;
}
