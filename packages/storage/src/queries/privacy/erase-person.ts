// erasePerson: removes every trace of one person (docs/privacy.md), leaves tombstones against late items, records an audit row.
import { randomUUID } from 'node:crypto';
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { removePersonRollups } from '../rollups/remove-person-rollups.js';
import { truncateWal, withSecureDelete } from './sqlite-erasure-bytes.js';
import { PG_ERASURE_LOCK } from './batch-tombstones.js';
import type { CookielessInboxQuery } from './cookieless-inbox-seqs.js';
import { linkedVisitor, quotedIds, rowBelongsTo, type PersonIds } from './inbox-payload-person.js';
import { personClosure, type Person } from './person-closure.js';
import { runPgPlan, runSqlitePlan, type Plan } from './person-step.js';
import { tombstoneDigest, type SubjectKind } from './tombstone-digest.js';

export interface ErasureRequest {
  accountId: string;
  subject: { kind: SubjectKind; id: string };
  /** Who asked, for the audit row: an API key's id, or "cli". Never personal data. */
  requestedBy: string;
  now: number;
  /** How long the tombstones keep the person's late items out (ms). */
  tombstoneMs: number;
  /**
   * The seqs of the person's cookieless inbox items (stored with the nil visitor id, so found only by
   * recomputing each one's daily hash: the server's cookielessInboxSeqs, on a read thread). Asked
   * once the person is complete (after the main transaction); the rows it names are then deleted
   * by seq, so the hashing never runs inside the erasure's transactions. Without it cookieless items
   * are found only by the ids they hold: pending ones are then dropped by the tombstone when processed.
   */
  cookielessItems?: (q: CookielessInboxQuery) => Promise<number[]>;
  /**
   * Runs each of the erasure's transactions (and each attempt of its closing checkpoint). The inbox
   * worker thread, where the collector runs erasures on SQLite, passes its write gate: ingest's writes
   * on the other connection go first and never wait in SQLite's busy handler. Default: runs it.
   */
  eachTransaction?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * Rows removed, per table. rollupSessions: the person's sessions taken out of the read model
 * (rollup_dims, visitor_hours, visitor_gaps); rollupHours: rollup_items hours their items were subtracted from.
 */
export interface ErasureCounts {
  visitors: number;
  sessions: number;
  events: number;
  conversions: number;
  identities: number;
  inbox: number;
  rollupSessions: number;
  rollupHours: number;
}

export interface ErasureResult {
  /** The audit row's id; null when the account does not exist (nothing was done). */
  auditId: string | null;
  /** How many visitor ids and user ids the person covered (docs/privacy.md: the rule). */
  visitorIds: number;
  userIds: number;
  removed: ErasureCounts;
  /** SQLite: whether the closing TRUNCATE checkpoint emptied the WAL (false: a reader held it; null on PostgreSQL). */
  walEmptied: boolean | null;
}

/** Processed inbox rows are searched this many seqs at a time, one short transaction each. */
const INBOX_WINDOW = 5_000;

function* accountKeyOf(accountId: string): Plan<number | null> {
  const { rows } = yield {
    sqlite: 'SELECT key FROM accounts WHERE id = ?',
    postgres: 'SELECT key FROM accounts WHERE id = $1',
    params: [accountId],
  };
  return rows.length === 0 ? null : Number(rows[0]?.key);
}

function* writeTombstones(r: ErasureRequest, accountKey: number, person: Person): Plan<void> {
  const digests = [
    ...[...person.visitors].map((id) => tombstoneDigest(r.accountId, 'visitor', id)),
    ...[...person.users].map((id) => tombstoneDigest(r.accountId, 'user', id)),
  ];
  const expires = r.now + r.tombstoneMs;
  yield {
    sqlite: `INSERT INTO erasure_tombstones (account_key, digest, erased_at, expires_at) SELECT ?, value, ?, ? FROM json_each(?) WHERE true
      ON CONFLICT (account_key, digest) DO UPDATE SET erased_at = excluded.erased_at, expires_at = max(expires_at, excluded.expires_at)`,
    postgres: `INSERT INTO erasure_tombstones (account_key, digest, erased_at, expires_at) SELECT $1, d, $2, $3 FROM unnest($4::text[]) AS d
      ON CONFLICT (account_key, digest) DO UPDATE SET erased_at = excluded.erased_at, expires_at = GREATEST(erasure_tombstones.expires_at, excluded.expires_at)`,
    params: [accountKey, r.now, expires, digests],
  };
  yield {
    sqlite: 'DELETE FROM erasure_tombstones WHERE expires_at <= ?',
    postgres: 'DELETE FROM erasure_tombstones WHERE expires_at <= $1',
    params: [r.now],
  };
}

const rowOf = (r: Record<string, unknown>) => ({
  itemId: String(r.item_id),
  type: String(r.type),
  payload: String(r.payload),
});

/** Deletes the inbox rows (and their pending/dead state) among `rows` that belong to the person; returns how many. */
function* deleteInboxRows(rows: ReadonlyArray<Record<string, unknown>>, person: PersonIds): Plan<number> {
  return yield* deleteSeqs(rows.filter((r) => rowBelongsTo(rowOf(r), person)).map((r) => Number(r.seq)));
}

/**
 * The cookieless items found on a read thread, by seq; only the account's (a seq is never another
 * account's row, but the guard costs nothing and keeps a wrong list from deleting anyone else's).
 */
function* deleteAccountSeqs(accountKey: number, candidates: readonly number[]): Plan<number> {
  const { rows } = yield {
    sqlite: 'SELECT seq FROM inbox WHERE seq IN (SELECT value FROM json_each(?)) AND account_key = ?',
    postgres: 'SELECT seq FROM inbox WHERE seq = ANY($1::bigint[]) AND account_key = $2',
    params: [candidates, accountKey],
  };
  return yield* deleteSeqs(rows.map((r) => Number(r.seq)));
}

function* deleteSeqs(seqs: readonly number[]): Plan<number> {
  if (seqs.length === 0) return 0;
  yield {
    sqlite: 'DELETE FROM inbox_pending WHERE seq IN (SELECT value FROM json_each(?))',
    postgres: 'DELETE FROM inbox_pending WHERE seq = ANY($1::bigint[])',
    params: [seqs],
  };
  yield {
    sqlite: 'DELETE FROM inbox_dead WHERE seq IN (SELECT value FROM json_each(?))',
    postgres: 'DELETE FROM inbox_dead WHERE seq = ANY($1::bigint[])',
    params: [seqs],
  };
  const gone = yield {
    sqlite: 'DELETE FROM inbox WHERE seq IN (SELECT value FROM json_each(?))',
    postgres: 'DELETE FROM inbox WHERE seq = ANY($1::bigint[])',
    params: [seqs],
  };
  return gone.changes;
}

// The prefilter finds payloads holding one of the ids as a JSON string; payloadBelongsTo decides.
// Pending rows are locked on PostgreSQL, so a worker holding one finishes (or loses) it first.
const PENDING_CANDIDATES = {
  sqlite: `SELECT i.seq, i.item_id, i.type, i.payload FROM inbox_pending p JOIN inbox i ON i.seq = p.seq
    WHERE i.account_key = ? AND EXISTS (SELECT 1 FROM json_each(?) q WHERE instr(i.payload, q.value) > 0)`,
  postgres: `SELECT i.seq, i.item_id, i.type, i.payload FROM inbox_pending p JOIN inbox i ON i.seq = p.seq AND i.received_at = p.received_at
    WHERE i.account_key = $1 AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS q WHERE strpos(i.payload, q) > 0) FOR UPDATE OF p`,
};

/** Deletes the rows of `table` (a table with account_key and visitor_id columns) of the given visitors. */
function byVisitor(
  table: string,
  accountKey: number,
  visitors: readonly string[],
): { sqlite: string; postgres: string; params: unknown[] } {
  return {
    sqlite: `DELETE FROM ${table} WHERE account_key = ? AND visitor_id IN (SELECT value FROM json_each(?))`,
    postgres: `DELETE FROM ${table} WHERE account_key = $1 AND visitor_id = ANY($2::text[])`,
    params: [accountKey, visitors],
  };
}

/**
 * Rows holding one of the person's visitor ids outside visitors, sessions, events, conversions,
 * identities and the read model: every further table keyed by a visitor id gets its delete here, in
 * the erasure transaction, after the read model has been moved and before the visitors go. The
 * person's closure already follows visitor_aliases both ways (person-closure.ts), so every alias
 * row with one of its ids has both ids in the person.
 */
function* deleteVisitorSideRows(accountKey: number, visitors: readonly string[]): Plan<void> {
  yield byVisitor('session_landing_repair', accountKey, visitors);
  // The closure holds every visitor of the person, so every touch of its conversions goes here.
  yield byVisitor('journey_touches', accountKey, visitors);
  yield byVisitor('journey_dirty', accountKey, visitors);
  // Person-path rows are stored under one of the person's visitors (its least id).
  yield byVisitor('person_path_steps', accountKey, visitors);
  yield byVisitor('person_path_ends', accountKey, visitors);
  yield {
    sqlite: `DELETE FROM visitor_aliases WHERE account_key = ? AND (ghost_id IN (SELECT value FROM json_each(?))
      OR canonical_id IN (SELECT value FROM json_each(?)))`,
    postgres:
      'DELETE FROM visitor_aliases WHERE account_key = $1 AND (ghost_id = ANY($2::text[]) OR canonical_id = ANY($3::text[]))',
    params: [accountKey, visitors, visitors],
  };
}

/**
 * The transaction that makes the person gone for every reader: tombstones first, then the pending
 * inbox rows (a worker pass holding one of them then writes nothing, see ApplyOutcome), then the
 * processed rows and the rollups. A pending identify of one of the person's user ids adds its device
 * to the person, and the closure is walked again after the pending rows are settled: a worker that
 * committed an identify meanwhile (PostgreSQL) may have linked one more device. Until nothing new.
 */
function* eraseProcessed(r: ErasureRequest, accountKey: number, person: Person, removed: ErasureCounts): Plan<void> {
  let size = -1;
  while (size !== person.visitors.size + person.users.size) {
    size = person.visitors.size + person.users.size;
    yield* writeTombstones(r, accountKey, person);
    const pending = yield { ...PENDING_CANDIDATES, params: [accountKey, quotedIds(person)] };
    for (const row of pending.rows) {
      const linked = linkedVisitor(String(row.type), String(row.payload), person);
      if (linked !== null) person.visitors.add(linked);
    }
    removed.inbox += yield* deleteInboxRows(pending.rows, person);
    yield* personClosure(accountKey, person);
  }
  const visitors = [...person.visitors];
  const rollups = yield* removePersonRollups(accountKey, visitors);
  removed.rollupSessions = rollups.rollupSessions;
  removed.rollupHours = rollups.rollupHours;
  removed.events = (yield byVisitor('events', accountKey, visitors)).changes;
  removed.conversions = (yield byVisitor('conversions', accountKey, visitors)).changes;
  removed.sessions = (yield byVisitor('sessions', accountKey, visitors)).changes;
  yield* deleteVisitorSideRows(accountKey, visitors);
  removed.visitors = (yield {
    sqlite: 'DELETE FROM visitors WHERE account_key = ? AND id IN (SELECT value FROM json_each(?))',
    postgres: 'DELETE FROM visitors WHERE account_key = $1 AND id = ANY($2::text[])',
    params: [accountKey, visitors],
  }).changes;
  removed.identities = (yield {
    sqlite: `DELETE FROM identities WHERE account_key = ? AND (visitor_id IN (SELECT value FROM json_each(?))
      OR user_id IN (SELECT value FROM json_each(?)))`,
    postgres:
      'DELETE FROM identities WHERE account_key = $1 AND (visitor_id = ANY($2::text[]) OR user_id = ANY($3::text[]))',
    params: [accountKey, visitors, [...person.users]],
  }).changes;
}

/**
 * One window of processed inbox rows: (after, after + INBOX_WINDOW]. On SQLite `+account_key` keeps
 * the planner on the seq (rowid) range: through the (account_key, item_id) index it would read the
 * account's whole inbox in every window (measured: bench/erasure.mjs, ~30 ms per window at 200,000 rows).
 */
function* eraseInboxWindow(accountKey: number, person: PersonIds, after: number): Plan<number> {
  const candidates = yield {
    sqlite: `SELECT seq, item_id, type, payload FROM inbox WHERE seq > ? AND seq <= ? AND +account_key = ?
      AND EXISTS (SELECT 1 FROM json_each(?) q WHERE instr(payload, q.value) > 0)`,
    postgres: `SELECT seq, item_id, type, payload FROM inbox WHERE seq > $1 AND seq <= $2 AND account_key = $3
      AND EXISTS (SELECT 1 FROM unnest($4::text[]) AS q WHERE strpos(payload, q) > 0)`,
    params: [after, after + INBOX_WINDOW, accountKey, quotedIds(person)],
  };
  return yield* deleteInboxRows(candidates.rows, person);
}

function* writeAudit(r: ErasureRequest, accountKey: number, removed: ErasureCounts): Plan<string> {
  const id = randomUUID();
  yield {
    sqlite:
      'INSERT INTO erasure_audit (id, account_key, subject_kind, requested_by, requested_at, counts) VALUES (?, ?, ?, ?, ?, ?)',
    postgres:
      'INSERT INTO erasure_audit (id, account_key, subject_kind, requested_by, requested_at, counts) VALUES ($1, $2, $3, $4, $5, $6)',
    params: [id, accountKey, r.subject.kind, r.requestedBy, r.now, JSON.stringify(removed)],
  };
  return id;
}

/** Runs one plan in one transaction of its own. */
function inTransaction<T>(conn: Connection, plan: () => Plan<T>): Promise<T> {
  return runQuery(conn, 'erasePerson', {
    sqlite: (c) => c.db.transaction(() => runSqlitePlan(c, plan())).immediate(),
    postgres: (c) => c.transaction((client) => runPgPlan(client, plan())),
  });
}

const LAST_SEQ = {
  sqlite: 'SELECT coalesce(max(seq), 0) AS seq FROM inbox',
  postgres: 'SELECT coalesce(max(seq), 0) AS seq FROM inbox',
  params: [],
};

/**
 * Lets the event loop run between two of the erasure's transactions. On SQLite each transaction is
 * synchronous and awaiting it only queues a microtask: without this, the windows ran back to back
 * as one stall of the collector's loop (measured: bench/cookieless-erasure-latency.mjs).
 */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function erasePerson(conn: Connection, r: ErasureRequest): Promise<ErasureResult> {
  const removed: ErasureCounts = {
    visitors: 0,
    sessions: 0,
    events: 0,
    conversions: 0,
    identities: 0,
    inbox: 0,
    rollupSessions: 0,
    rollupHours: 0,
  };
  const person: Person = { visitors: new Set(), users: new Set() };
  (r.subject.kind === 'visitor' ? person.visitors : person.users).add(r.subject.id);
  const each = r.eachTransaction ?? (<T>(fn: () => Promise<T>) => fn());
  const secure = <T>(plan: () => Plan<T>): Promise<T> =>
    each(() =>
      conn.dialect === 'sqlite' ? withSecureDelete(conn, () => inTransaction(conn, plan)) : inTransaction(conn, plan),
    );
  const main = await secure(function* () {
    const key = yield* accountKeyOf(r.accountId);
    if (key === null) return null;
    // PostgreSQL: the account's erasure lock, exclusively: running worker passes of the account finish
    // first, later ones wait for the commit and then see the tombstones (batch-tombstones.ts).
    yield { sqlite: 'SELECT ? AS locked', postgres: PG_ERASURE_LOCK, params: [r.accountId] };
    yield* personClosure(key, person);
    yield* eraseProcessed(r, key, person, removed);
    const last = yield LAST_SEQ;
    return { key, lastSeq: Number(last.rows[0]?.seq ?? 0) };
  });
  if (main === null) return { auditId: null, visitorIds: 0, userIds: 0, removed, walEmptied: null };
  // The person is complete now: their cookieless items are looked for (off this thread) while the
  // windows below run. Caught here so a failing window does not leave its rejection unhandled.
  const cookieless = r.cookielessItems?.({
    accountId: r.accountId,
    visitors: [...person.visitors],
    throughSeq: main.lastSeq,
  });
  cookieless?.catch(() => undefined);
  // Processed inbox rows, window by window: each a short transaction, so ingest is never held up long.
  // Rows stored after the main transaction are the worker's to drop (the tombstones are in place).
  for (let after = 0; after < main.lastSeq; after += INBOX_WINDOW) {
    await turn();
    removed.inbox += await secure(() => eraseInboxWindow(main.key, person, after));
  }
  const found = (await cookieless) ?? [];
  for (let i = 0; i < found.length; i += INBOX_WINDOW) {
    const slice = found.slice(i, i + INBOX_WINDOW);
    await turn();
    removed.inbox += await secure(() => deleteAccountSeqs(main.key, slice));
  }
  const auditId = await each(() => inTransaction(conn, () => writeAudit(r, main.key, removed)));
  const walEmptied = conn.dialect === 'sqlite' ? await truncateWal(conn, each) : null;
  return { auditId, visitorIds: person.visitors.size, userIds: person.users.size, removed, walEmptied };
}
