// applyProcessed: writes one worker pass's results and finishes its inbox rows, all in one transaction.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { ProcessedBatch } from '../../storage.js';
import { ACCOUNT_KEY_OF, sqliteAccountKeys } from '../accounts/account-key.js';
import { accountRowsPlaceholders, chunks, ROWS_PER_INSERT } from '../multi-row-insert.js';
import { mergeSessions, mergeVisitors } from './merge-upserts.js';

// Every write below keys on the account first, so a row can only ever merge with its own account's.
// Each write goes up to ROWS_PER_INSERT rows per statement; a key repeated within one statement
// merges exactly as it would across statements (SQLite applies the rows one after another).
const sqliteVisitor = (rows: number): string => `INSERT INTO visitors (account_key, id, first_seen_at, last_seen_at)
  VALUES ${accountRowsPlaceholders(3, rows)}
  ON CONFLICT (account_key, id) DO UPDATE SET
    first_seen_at = min(visitors.first_seen_at, excluded.first_seen_at),
    last_seen_at = max(visitors.last_seen_at, excluded.last_seen_at)`;

// A session's key includes its visitor (migration 004: index locality). Batches of one session can arrive in any order: times merge by min/max, counts add up, and the
// landing fields (a unit: url, host, referrer, channel, utm, click ids) are written when the row is
// created or, later, only while the stored row still has no landing url.
const TAKE_LANDING = 'sessions.landing_url IS NULL AND excluded.landing_url IS NOT NULL';
const sqliteSession = (rows: number): string => `INSERT INTO sessions (account_key, id, visitor_id, started_at, last_seen_at,
    landing_url, landing_host, referrer, channel, utm, click_ids, event_count, pageview_count)
  VALUES ${accountRowsPlaceholders(12, rows)}
  ON CONFLICT (account_key, visitor_id, id) DO UPDATE SET
    started_at = min(sessions.started_at, excluded.started_at),
    last_seen_at = max(sessions.last_seen_at, excluded.last_seen_at),
    ${['landing_url', 'landing_host', 'referrer', 'channel', 'utm', 'click_ids']
    .map((col) => `${col} = CASE WHEN ${TAKE_LANDING} THEN excluded.${col} ELSE sessions.${col} END`).join(',\n    ')},
    event_count = sessions.event_count + excluded.event_count,
    pageview_count = sessions.pageview_count + excluded.pageview_count`;

// Items carry client-made ids: a replayed item hits the primary key and is skipped. DO NOTHING on
// that key only (not INSERT OR IGNORE), so NOT NULL or CHECK failures still abort the pass.
const sqliteEvent = (rows: number): string => `INSERT INTO events (account_key, id, type, name, visitor_id, session_id,
    occurred_at, url, properties)
  VALUES ${accountRowsPlaceholders(8, rows)} ON CONFLICT (account_key, id) DO NOTHING`;
const SQLITE_CONVERSION = `INSERT INTO conversions (account_key, id, name, visitor_id, session_id, occurred_at, revenue,
    currency, properties)
  VALUES (${ACCOUNT_KEY_OF}, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_key, id) DO NOTHING`;
const SQLITE_IDENTITY = `INSERT INTO identities (account_key, user_id, visitor_id, occurred_at, traits)
  VALUES (${ACCOUNT_KEY_OF}, ?, ?, ?, ?)
  ON CONFLICT (account_key, user_id, visitor_id) DO NOTHING`;

/** Statement texts for every chunk length, built once: index n holds the n-row statement. */
const byRows = (sql: (rows: number) => string): string[] => Array.from({ length: ROWS_PER_INSERT + 1 }, (_, rows) => sql(rows));
const SQLITE_VISITORS = byRows(sqliteVisitor);
const SQLITE_SESSIONS = byRows(sqliteSession);
const SQLITE_EVENTS = byRows(sqliteEvent);

type KeyOf = (accountId: string) => number | null;

/** Runs `sql[n]` over the rows in chunks, each row's parameters given by `params`. */
function insertRows<T>(c: SqliteConnection, sql: readonly string[], rows: readonly T[], params: (row: T) => unknown[]): void {
  for (const part of chunks(rows)) c.statement(sql[part.length] as string).run(...part.flatMap(params));
}

// Only pending rows move: a row another worker already finished (its lease expired under us and
// the rows were claimed again) is no longer in inbox_pending and keeps its outcome, and a done
// row is never turned dead or back. Done rows go as one JSON array in one statement.
const SQLITE_DONE = 'DELETE FROM inbox_pending WHERE seq IN (SELECT value FROM json_each(?))';
const SQLITE_UNPEND = 'DELETE FROM inbox_pending WHERE seq = ?';
const SQLITE_DEAD = 'INSERT INTO inbox_dead (seq, error) VALUES (?, ?)';

/** Marks the batch's inbox rows; returns how many of its done rows were still pending. */
function finishInboxRows(c: SqliteConnection, batch: ProcessedBatch): number {
  const unpend = c.statement<[number]>(SQLITE_UNPEND);
  const dead = c.statement<[number, string]>(SQLITE_DEAD);
  for (const row of batch.dead) {
    if (unpend.run(row.seq).changes > 0) dead.run(row.seq, row.error);
  }
  if (batch.done.length === 0) return 0;
  return c.statement<[string]>(SQLITE_DONE).run(JSON.stringify(batch.done)).changes;
}

function writeVisitorsAndSessions(c: SqliteConnection, keyOf: KeyOf, batch: ProcessedBatch): void {
  insertRows(c, SQLITE_VISITORS, batch.visitors, (v) => [keyOf(v.accountId), v.id, v.firstSeenAt, v.lastSeenAt]);
  insertRows(c, SQLITE_SESSIONS, batch.sessions, (s) => [
    keyOf(s.accountId), s.id, s.visitorId, s.startedAt, s.lastSeenAt, s.landingUrl, s.landingHost, s.referrer, s.channel,
    JSON.stringify(s.utm), JSON.stringify(s.clickIds), s.eventCount, s.pageviewCount,
  ]);
}

function writeItems(c: SqliteConnection, keyOf: KeyOf, batch: ProcessedBatch): void {
  insertRows(c, SQLITE_EVENTS, batch.events, (e) => [
    keyOf(e.accountId), e.id, e.type, e.name, e.visitorId, e.sessionId, e.timestamp, e.url, e.properties,
  ]);
  const conversion = c.statement(SQLITE_CONVERSION);
  for (const v of batch.conversions) {
    conversion.run(v.accountId, v.id, v.name, v.visitorId, v.sessionId, v.timestamp, v.revenue, v.currency, v.properties);
  }
  const identity = c.statement(SQLITE_IDENTITY);
  for (const i of batch.identities) identity.run(i.accountId, i.userId, i.visitorId, i.timestamp, i.traits);
}

// PostgreSQL: each kind of row is one statement over parallel arrays, unnested in the given order
// (WITH ORDINALITY). LEFT JOIN accounts gives an unknown account a NULL key, which fails NOT NULL
// and aborts the transaction, as SQLite's scalar subquery does.
const pgRows = (table: string, columns: string[], types: string[], conflict: string): string => `INSERT INTO ${table} (account_key, ${columns.join(', ')})
  SELECT a.key, ${columns.map((col) => `x.${col}`).join(', ')}
  FROM unnest(${types.map((type, i) => `$${i + 1}::${type}[]`).join(', ')}) WITH ORDINALITY AS x (account, ${columns.join(', ')}, n)
  LEFT JOIN accounts AS a ON a.id = x.account
  ORDER BY x.n
  ${conflict}`;
const PG_VISITORS = pgRows('visitors', ['id', 'first_seen_at', 'last_seen_at'], ['text', 'text', 'bigint', 'bigint'], `ON CONFLICT (account_key, id) DO UPDATE SET
    first_seen_at = LEAST(visitors.first_seen_at, excluded.first_seen_at),
    last_seen_at = GREATEST(visitors.last_seen_at, excluded.last_seen_at)`);
const PG_SESSIONS = pgRows('sessions',
  ['id', 'visitor_id', 'started_at', 'last_seen_at', 'landing_url', 'landing_host', 'referrer', 'channel', 'utm', 'click_ids', 'event_count', 'pageview_count'],
  ['text', 'text', 'text', 'bigint', 'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'integer', 'integer'],
  `ON CONFLICT (account_key, visitor_id, id) DO UPDATE SET
    started_at = LEAST(sessions.started_at, excluded.started_at),
    last_seen_at = GREATEST(sessions.last_seen_at, excluded.last_seen_at),
    ${['landing_url', 'landing_host', 'referrer', 'channel', 'utm', 'click_ids']
    .map((col) => `${col} = CASE WHEN ${TAKE_LANDING} THEN excluded.${col} ELSE sessions.${col} END`).join(',\n    ')},
    event_count = sessions.event_count + excluded.event_count,
    pageview_count = sessions.pageview_count + excluded.pageview_count`);
// events is partitioned by occurred_at, so its key includes it; a replayed item has the same time (see the migration).
const PG_EVENTS = pgRows('events', ['id', 'type', 'name', 'visitor_id', 'session_id', 'occurred_at', 'url', 'properties'],
  ['text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'text', 'text'], 'ON CONFLICT (account_key, id, occurred_at) DO NOTHING');
const PG_CONVERSIONS = pgRows('conversions', ['id', 'name', 'visitor_id', 'session_id', 'occurred_at', 'revenue', 'currency', 'properties'],
  ['text', 'text', 'text', 'text', 'text', 'bigint', 'float8', 'text', 'text'], 'ON CONFLICT (account_key, id) DO NOTHING');
const PG_IDENTITIES = pgRows('identities', ['user_id', 'visitor_id', 'occurred_at', 'traits'],
  ['text', 'text', 'text', 'bigint', 'text'], 'ON CONFLICT (account_key, user_id, visitor_id) DO NOTHING');
// A dead row moves only if it was still pending (the DELETE's RETURNING says which were).
const PG_DEAD = `WITH gone AS (DELETE FROM inbox_pending WHERE seq = ANY($1::bigint[]) RETURNING seq, received_at)
  INSERT INTO inbox_dead (seq, received_at, error)
  SELECT x.seq, gone.received_at, x.error FROM unnest($1::bigint[], $2::text[]) AS x (seq, error) JOIN gone USING (seq)
  ON CONFLICT (seq) DO NOTHING`;
const PG_DONE = 'DELETE FROM inbox_pending WHERE seq = ANY($1::bigint[])';

/** Column arrays of `rows`: one array per parameter, in the statement's column order. */
function columns<T>(rows: readonly T[], pick: (row: T) => unknown[]): unknown[][] {
  const width = rows.length === 0 ? 0 : pick(rows[0] as T).length;
  const out: unknown[][] = Array.from({ length: width }, () => []);
  for (const row of rows) pick(row).forEach((value, i) => (out[i] as unknown[]).push(value));
  return out;
}

async function pgInsert<T>(client: PgQueryable, sql: string, rows: readonly T[], pick: (row: T) => unknown[]): Promise<void> {
  if (rows.length > 0) await client.query(sql, columns(rows, pick));
}

async function pgApply(client: PgQueryable, batch: ProcessedBatch): Promise<void> {
  if (batch.dead.length > 0) await client.query(PG_DEAD, [batch.dead.map((d) => d.seq), batch.dead.map((d) => d.error)]);
  if (batch.done.length > 0 && ((await client.query(PG_DONE, [batch.done])).rowCount ?? 0) === 0) return;
  await pgInsert(client, PG_VISITORS, mergeVisitors(batch.visitors), (v) => [v.accountId, v.id, v.firstSeenAt, v.lastSeenAt]);
  await pgInsert(client, PG_SESSIONS, mergeSessions(batch.sessions), (s) => [
    s.accountId, s.id, s.visitorId, s.startedAt, s.lastSeenAt, s.landingUrl, s.landingHost, s.referrer, s.channel,
    JSON.stringify(s.utm), JSON.stringify(s.clickIds), s.eventCount, s.pageviewCount,
  ]);
  await pgInsert(client, PG_EVENTS, batch.events, (e) => [
    e.accountId, e.id, e.type, e.name, e.visitorId, e.sessionId, e.timestamp, e.url, e.properties,
  ]);
  await pgInsert(client, PG_CONVERSIONS, batch.conversions, (v) => [
    v.accountId, v.id, v.name, v.visitorId, v.sessionId, v.timestamp, v.revenue, v.currency, v.properties,
  ]);
  await pgInsert(client, PG_IDENTITIES, batch.identities, (i) => [i.accountId, i.userId, i.visitorId, i.timestamp, i.traits]);
}

/**
 * Results and inbox outcome commit together: a crash before the commit leaves the rows pending to
 * be processed again, and a crash after it leaves them done — never results without the outcome.
 *
 * A batch whose done rows were all finished already is a stale replay (another worker took over
 * after our lease expired and applied the same rows); writing it again would add its session
 * counts a second time, so it writes nothing. Event, conversion and identity rows are idempotent
 * on their ids in any case.
 */
export function applyProcessed(conn: Connection, batch: ProcessedBatch): Promise<void> {
  return runQuery(conn, 'applyProcessed', {
    sqlite: (c) => {
      c.db.transaction(() => {
        const finished = finishInboxRows(c, batch);
        if (batch.done.length > 0 && finished === 0) return;
        const keyOf = sqliteAccountKeys(c);
        writeVisitorsAndSessions(c, keyOf, batch);
        writeItems(c, keyOf, batch);
      }).immediate();
    },
    postgres: (c) => c.transaction((client) => pgApply(client, batch)),
  });
}
