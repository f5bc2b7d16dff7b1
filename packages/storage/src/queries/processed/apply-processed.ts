// applyProcessed: writes one worker pass's results and finishes its inbox rows, all in one transaction.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { ConversionRow, EventRow, ProcessedBatch, SessionUpsert } from '../../storage.js';
import { ACCOUNT_KEY_OF, sqliteAccountKeys } from '../accounts/account-key.js';
import { accountRowsPlaceholders, chunks, ROWS_PER_INSERT } from '../multi-row-insert.js';
import { applied, outcomeOf, tombstoned, type ApplyOutcome } from './apply-outcome.js';
import { pgBatchTombstoned, sqliteBatchTombstoned } from '../privacy/batch-tombstones.js';
import { mergeIdentities, mergeSessions, mergeVisitors } from './merge-upserts.js';
import { pgInsert, pgRows } from './pg-rows-insert.js';
import { pgAliasLockKeys, pgApplyAliases, sqliteApplyAliases } from './apply-aliases.js';
import { pgSessionizeCookieless, sqliteSessionizeCookieless } from './sessionize-cookieless.js';
import { identityConflict } from './identity-upsert-sql.js';
import { pgSessionUpsert, sessionParams, sqliteSessionUpserts } from './session-upsert-sql.js';
import {
  itemRollupDeltas,
  longestSpans,
  sessionRollupDeltas,
  type InsertedItem,
  type SessionShape,
} from '../rollups/rollup-deltas.js';
import {
  PG_SHAPE_RETURNING,
  pgAccountKeys,
  pgLockSessions,
  pgSessionShapes,
  sqliteSessionShapes,
  type SessionKey,
} from '../rollups/session-shapes.js';
import { pgWriteRollups, sqliteWriteRollups } from '../rollups/write-rollups.js';
import { pgMarkJourneys, sqliteMarkJourneys, type JourneyMark } from '../journeys/journey-marks.js';

// Every write below keys on the account first, so a row can only ever merge with its own account's.
// Each write goes up to ROWS_PER_INSERT rows per statement; a key repeated within one statement
// merges exactly as it would across statements (SQLite applies the rows one after another).
// Every merge is order-independent (DESIGN.md L12): min/max, sums, and "the better of the two"
// by a total order, so any partition of the items into passes ends with the same rows.
const sqliteVisitor = (rows: number): string => `INSERT INTO visitors (account_key, id, first_seen_at, last_seen_at)
  VALUES ${accountRowsPlaceholders(3, rows)}
  ON CONFLICT (account_key, id) DO UPDATE SET
    first_seen_at = min(visitors.first_seen_at, excluded.first_seen_at),
    last_seen_at = max(visitors.last_seen_at, excluded.last_seen_at)`;

// The rollups count what was inserted: RETURNING reports only the rows DO NOTHING did not skip, so
// a replayed item adds nothing. Revenue is split as revenue-sum.ts splits it (whole units, micros).
const RETURNING_ITEM = 'account_key AS accountKey, occurred_at AS occurredAt';

// Items carry client-made ids: a replayed item hits the primary key and is skipped. DO NOTHING on
// that key only (not INSERT OR IGNORE), so NOT NULL or CHECK failures still abort the pass.
const sqliteEvent = (rows: number): string => `INSERT INTO events (account_key, id, type, name, visitor_id, session_id,
    occurred_at, url, properties)
  VALUES ${accountRowsPlaceholders(8, rows)} ON CONFLICT (account_key, id) DO NOTHING
  RETURNING ${RETURNING_ITEM}`;
const SQLITE_CONVERSION = `INSERT INTO conversions (account_key, id, name, visitor_id, session_id, occurred_at, revenue,
    currency, properties)
  VALUES (${ACCOUNT_KEY_OF}, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_key, id) DO NOTHING
  RETURNING ${RETURNING_ITEM}, visitor_id AS visitorId, CAST(revenue AS INTEGER) AS units,
    CAST(ROUND((revenue - CAST(revenue AS INTEGER)) * 1000000) AS INTEGER) AS micros`;
const SQLITE_IDENTITY = `INSERT INTO identities (account_key, user_id, visitor_id, occurred_at, traits, traits_at)
  VALUES (${ACCOUNT_KEY_OF}, ?, ?, ?, ?, ?)
  ${identityConflict('min', 'max', '')}`;

/** Statement texts for every chunk length, built once: index n holds the n-row statement. */
const byRows = (sql: (rows: number) => string): string[] =>
  Array.from({ length: ROWS_PER_INSERT + 1 }, (_, rows) => sql(rows));
const SQLITE_VISITORS = byRows(sqliteVisitor);
const SQLITE_SESSIONS = sqliteSessionUpserts('sessions');
const SQLITE_EVENTS = byRows(sqliteEvent);

type KeyOf = (accountId: string) => number | null;

/** Runs `sql[n]` over the rows in chunks, each row's parameters given by `params`. */
function insertRows<T>(
  c: SqliteConnection,
  sql: readonly string[],
  rows: readonly T[],
  params: (row: T) => unknown[],
): void {
  for (const part of chunks(rows)) c.statement(sql[part.length] as string).run(...part.flatMap(params));
}

/** insertRows for statements with RETURNING: the rows they report. */
function insertReturning<T, R>(
  c: SqliteConnection,
  sql: readonly string[],
  rows: readonly T[],
  params: (row: T) => unknown[],
): R[] {
  const out: R[] = [];
  for (const part of chunks(rows))
    out.push(...(c.statement(sql[part.length] as string).all(...part.flatMap(params)) as R[]));
  return out;
}

/**
 * The visitors whose persons' journeys this pass may change (journey-marks.ts), beside the sessions
 * writeRollups marks: conversions inserted (RETURNING: a replay marks nothing), and every identify's visitor (a
 * link may join two persons; an identify repeated for a known pair only costs one more mark).
 */
function journeyMarks(batch: ProcessedBatch, keyOf: KeyOf, conversions: readonly InsertedItem[]): JourneyMark[] {
  // Sessions are marked by writeRollups (their path changes), as for every other writer of sessions.
  const marks: JourneyMark[] = [];
  for (const c of conversions)
    if (c.visitorId !== undefined) marks.push({ accountKey: c.accountKey, visitorId: c.visitorId });
  for (const i of batch.identities) {
    const accountKey = keyOf(i.accountId);
    if (accountKey !== null) marks.push({ accountKey, visitorId: i.visitorId });
  }
  return marks;
}

/** Each session of the batch once. */
function sessionKeys(batch: ProcessedBatch, account: (accountId: string) => number | null): SessionKey[] {
  const seen = new Map<string, SessionKey>();
  for (const s of batch.sessions)
    seen.set(`${s.accountId}\u0000${s.visitorId}\u0000${s.id}`, {
      account: account(s.accountId),
      visitorId: s.visitorId,
      id: s.id,
    });
  return [...seen.values()];
}

/** The pass's inbox rows, done and dead, each once. */
function inboxSeqs(batch: ProcessedBatch): number[] {
  return [...new Set([...batch.done, ...batch.dead.map((d) => d.seq), ...(batch.erased ?? [])])];
}

// Only pending rows move, and only a pass whose rows are all still pending is written (see
// ApplyOutcome): a row another worker already finished keeps its outcome, and a done row is never
// turned dead or back. Seqs go as one JSON array in one statement.
const SQLITE_PENDING = 'SELECT seq FROM inbox_pending WHERE seq IN (SELECT value FROM json_each(?))';
const SQLITE_DONE = 'DELETE FROM inbox_pending WHERE seq IN (SELECT value FROM json_each(?))';
const SQLITE_DEAD = 'INSERT INTO inbox_dead (seq, error) VALUES (?, ?)';
// Items of an erased person (docs/privacy.md) leave the inbox altogether: their payload is personal data.
const SQLITE_ERASED = 'DELETE FROM inbox WHERE seq IN (SELECT value FROM json_each(?))';

function finishInboxRows(c: SqliteConnection, batch: ProcessedBatch): void {
  const dead = c.statement<[number, string]>(SQLITE_DEAD);
  for (const row of batch.dead) dead.run(row.seq, row.error);
  const seqs = inboxSeqs(batch);
  if (seqs.length > 0) c.statement<[string]>(SQLITE_DONE).run(JSON.stringify(seqs));
  if (batch.erased !== undefined && batch.erased.length > 0) eraseInboxRows(c, batch.erased);
}

/** With secure_delete on, so the payloads' bytes are zeroed in the pages, not left in free space (docs/privacy.md). */
function eraseInboxRows(c: SqliteConnection, seqs: readonly number[]): void {
  const before = c.db.pragma('secure_delete', { simple: true }) as number;
  c.db.pragma('secure_delete = ON');
  try {
    c.statement<[string]>(SQLITE_ERASED).run(JSON.stringify(seqs));
  } finally {
    c.db.pragma(`secure_delete = ${before === 1 ? 'ON' : before === 2 ? 'FAST' : 'OFF'}`);
  }
}

function sqliteApply(c: SqliteConnection, batch: ProcessedBatch): ApplyOutcome {
  const seqs = inboxSeqs(batch);
  if (seqs.length > 0) {
    const pending = c
      .statement<[string], { seq: number }>(SQLITE_PENDING)
      .all(JSON.stringify(seqs))
      .map((r) => r.seq);
    const outcome = outcomeOf(seqs.length, pending);
    if (outcome.kind !== 'applied') return outcome;
  }
  if (sqliteBatchTombstoned(c, batch)) return tombstoned();
  finishInboxRows(c, batch);
  const keyOf: KeyOf = sqliteAccountKeys(c);
  insertRows(c, SQLITE_VISITORS, batch.visitors, (v) => [keyOf(v.accountId), v.id, v.firstSeenAt, v.lastSeenAt]);
  // The rollups move by the difference between the sessions before and after the upsert (rollups/).
  const keys = sessionKeys(batch, keyOf);
  const before = sqliteSessionShapes(c, keys);
  insertRows(c, SQLITE_SESSIONS, batch.sessions, (s) => [keyOf(s.accountId), ...sessionParams(s)]);
  const after = sqliteSessionShapes(c, keys);
  const events = insertReturning<EventRow, InsertedItem>(c, SQLITE_EVENTS, batch.events, (e) => [
    keyOf(e.accountId),
    e.id,
    e.type,
    e.name,
    e.visitorId,
    e.sessionId,
    e.timestamp,
    e.url,
    e.properties,
  ]);
  const conversion = c.statement(SQLITE_CONVERSION);
  const conversions: InsertedItem[] = [];
  for (const v of batch.conversions) {
    const row = conversion.get(
      v.accountId,
      v.id,
      v.name,
      v.visitorId,
      v.sessionId,
      v.timestamp,
      v.revenue,
      v.currency,
      v.properties,
    ) as InsertedItem | undefined;
    if (row !== undefined) conversions.push(row);
  }
  sqliteWriteRollups(c, {
    sessions: sessionRollupDeltas(before, after),
    items: itemRollupDeltas(events, conversions),
    spans: longestSpans(after),
  });
  sqliteSessionizeCookieless(c, batch, keyOf);
  const identity = c.statement(SQLITE_IDENTITY);
  for (const i of batch.identities) identity.run(i.accountId, i.userId, i.visitorId, i.timestamp, i.traits, i.traitsAt);
  sqliteMarkJourneys(c, journeyMarks(batch, keyOf, conversions));
  sqliteApplyAliases(c, batch, keyOf);
  return applied();
}

// PostgreSQL: each kind of row is one statement over parallel arrays (pg-rows-insert.ts).
const PG_VISITORS = pgRows(
  'visitors',
  ['id', 'first_seen_at', 'last_seen_at'],
  ['text', 'text', 'bigint', 'bigint'],
  `ON CONFLICT (account_key, id) DO UPDATE SET
    first_seen_at = LEAST(visitors.first_seen_at, excluded.first_seen_at),
    last_seen_at = GREATEST(visitors.last_seen_at, excluded.last_seen_at)`,
);
const PG_SESSIONS = `${pgSessionUpsert('sessions')}\n  ${PG_SHAPE_RETURNING}`;
// events is partitioned by occurred_at, so its key includes it; a replayed item has the same time (see the migration).
const PG_RETURNING_ITEM = 'RETURNING account_key AS "accountKey", occurred_at AS "occurredAt"';
const PG_EVENTS = pgRows(
  'events',
  ['id', 'type', 'name', 'visitor_id', 'session_id', 'occurred_at', 'url', 'properties'],
  ['text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'text', 'text'],
  `ON CONFLICT (account_key, id, occurred_at) DO NOTHING ${PG_RETURNING_ITEM}`,
);
const PG_CONVERSIONS = pgRows(
  'conversions',
  ['id', 'name', 'visitor_id', 'session_id', 'occurred_at', 'revenue', 'currency', 'properties'],
  ['text', 'text', 'text', 'text', 'text', 'bigint', 'float8', 'text', 'text'],
  `ON CONFLICT (account_key, id) DO NOTHING ${PG_RETURNING_ITEM},
  visitor_id AS "visitorId", trunc(revenue)::bigint AS units, round((revenue - trunc(revenue)) * 1000000)::bigint AS micros`,
);
const PG_IDENTITIES = pgRows(
  'identities',
  ['user_id', 'visitor_id', 'occurred_at', 'traits', 'traits_at'],
  ['text', 'text', 'text', 'bigint', 'text', 'bigint'],
  identityConflict('LEAST', 'GREATEST', ' COLLATE "C"'),
);
// Locks the pass's rows that are still pending, in seq order (two workers never wait on each other
// in a cycle); a worker that finished some of them first has deleted them, and READ COMMITTED
// re-reads after the wait, so they are not returned.
const PG_PENDING = 'SELECT seq FROM inbox_pending WHERE seq = ANY($1::bigint[]) ORDER BY seq FOR UPDATE';
const PG_DEAD = `WITH gone AS (DELETE FROM inbox_pending WHERE seq = ANY($1::bigint[]) RETURNING seq, received_at)
  INSERT INTO inbox_dead (seq, received_at, error)
  SELECT x.seq, gone.received_at, x.error FROM unnest($1::bigint[], $2::text[]) AS x (seq, error) JOIN gone USING (seq)
  ON CONFLICT (seq) DO NOTHING`;
const PG_DONE = 'DELETE FROM inbox_pending WHERE seq = ANY($1::bigint[])';
const PG_ERASED = `WITH gone AS (DELETE FROM inbox_pending WHERE seq = ANY($1::bigint[]) RETURNING seq, received_at)
  DELETE FROM inbox USING gone WHERE inbox.seq = gone.seq AND inbox.received_at = gone.received_at`;

async function pgApply(client: PgQueryable, batch: ProcessedBatch): Promise<ApplyOutcome> {
  // First of all locks: the accounts' erasure locks (shared), so an erasure is never half-way (batch-tombstones.ts).
  const erased = await pgBatchTombstoned(client, batch);
  const seqs = inboxSeqs(batch);
  if (seqs.length > 0) {
    const pending = (await client.query<{ seq: number }>(PG_PENDING, [seqs])).rows.map((r) => r.seq);
    const outcome = outcomeOf(seqs.length, pending);
    if (outcome.kind !== 'applied') return outcome;
  }
  if (erased) return tombstoned();
  const accountKeys = await pgAccountKeys(
    client,
    [...batch.sessions, ...batch.visitors, ...batch.aliases, ...batch.identities].map((s) => s.accountId),
  );
  const keyOf: KeyOf = (accountId) => accountKeys.get(accountId) ?? null;
  const keys = sessionKeys(batch, keyOf);
  // Every visitor lock the pass needs, its aliases' included, in one sorted statement before any write (apply-aliases.ts).
  const aliasLocks = await pgAliasLockKeys(client, batch, keyOf);
  await pgLockSessions(client, [...keys, ...aliasLocks]);
  if (batch.dead.length > 0)
    await client.query(PG_DEAD, [batch.dead.map((d) => d.seq), batch.dead.map((d) => d.error)]);
  if (batch.done.length > 0) await client.query(PG_DONE, [batch.done]);
  if (batch.erased !== undefined && batch.erased.length > 0) await client.query(PG_ERASED, [batch.erased]);
  await pgInsert(client, PG_VISITORS, mergeVisitors(batch.visitors), (v) => [
    v.accountId,
    v.id,
    v.firstSeenAt,
    v.lastSeenAt,
  ]);
  const before = await pgSessionShapes(client, keys);
  const after = await pgInsert<SessionUpsert, SessionShape>(client, PG_SESSIONS, mergeSessions(batch.sessions), (s) => [
    s.accountId,
    ...sessionParams(s),
  ]);
  const events = await pgInsert<EventRow, InsertedItem>(client, PG_EVENTS, batch.events, (e) => [
    e.accountId,
    e.id,
    e.type,
    e.name,
    e.visitorId,
    e.sessionId,
    e.timestamp,
    e.url,
    e.properties,
  ]);
  const conversions = await pgInsert<ConversionRow, InsertedItem>(client, PG_CONVERSIONS, batch.conversions, (v) => [
    v.accountId,
    v.id,
    v.name,
    v.visitorId,
    v.sessionId,
    v.timestamp,
    v.revenue,
    v.currency,
    v.properties,
  ]);
  await pgWriteRollups(client, {
    sessions: sessionRollupDeltas(before, after),
    items: itemRollupDeltas(events, conversions),
    spans: longestSpans(after),
  });
  await pgSessionizeCookieless(client, batch, keyOf);
  await pgInsert(client, PG_IDENTITIES, mergeIdentities(batch.identities), (i) => [
    i.accountId,
    i.userId,
    i.visitorId,
    i.timestamp,
    i.traits,
    i.traitsAt,
  ]);
  await pgMarkJourneys(client, journeyMarks(batch, keyOf, conversions));
  await pgApplyAliases(client, batch, keyOf, [...keys, ...aliasLocks]);
  return applied();
}

/**
 * Results and inbox outcome commit together: a crash before the commit leaves the rows pending to
 * be processed again, and a crash after it leaves them done — never results without the outcome.
 * A pass is written only if all its inbox rows are still pending (see ApplyOutcome); event,
 * conversion and identity rows are idempotent on their keys in any case.
 */
export function applyProcessed(conn: Connection, batch: ProcessedBatch): Promise<ApplyOutcome> {
  return runQuery(conn, 'applyProcessed', {
    // Not refused at the WAL's bound (wal-bound.ts): its rows are claimed already, and a refusal would
    // leave them leased for the whole lease. The claim is refused instead, and one batch fits the headroom.
    sqlite: (c) => c.db.transaction(() => sqliteApply(c, batch)).immediate(),
    postgres: (c) => c.transaction((client) => pgApply(client, batch)),
  });
}
