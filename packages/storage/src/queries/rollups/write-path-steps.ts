// Moves Markov's path-step counts (path-steps.ts) by a write's path changes, inside the write's transaction, in both dialects.
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import {
  pathStepDeltas,
  pathVisitorKey,
  type PathChange,
  type PathEndDelta,
  type PathSession,
  type PathStepDelta,
} from './path-steps.js';

// A write reads the stored sessions of each visitor whose path it changed (a key prefix lookup;
// a visitor has a handful), then derives the count changes in memory. On PostgreSQL the caller
// holds the visitor's advisory lock (session-shapes.ts), so no other writer changes the visitor's
// sessions between this read and the write: the counts stay exact with several collectors.

interface CurrentRow extends PathSession {
  accountKey: number;
  visitorId: string;
}

function grouped(rows: readonly CurrentRow[]): Map<string, PathSession[]> {
  const out = new Map<string, PathSession[]>();
  for (const r of rows) {
    const k = pathVisitorKey(Number(r.accountKey), r.visitorId);
    const list = out.get(k) ?? [];
    list.push({ id: r.id, startedAt: Number(r.startedAt), channel: r.channel });
    out.set(k, list);
  }
  return out;
}

const SQLITE_CURRENT = `SELECT s.account_key AS accountKey, s.visitor_id AS visitorId, s.id, s.started_at AS startedAt,
    coalesce(s.channel, '') AS channel
  FROM json_each(?) AS j CROSS JOIN sessions AS s ON s.account_key = j.value ->> 0 AND s.visitor_id = j.value ->> 1`;
// A row whose count reaches zero is deleted: every stored row stands for at least one session.
const SQLITE_STEPS = `INSERT INTO path_steps (account_key, day, prev_day, prev_channel, channel, sessions) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (account_key, day, prev_day, prev_channel, channel) DO UPDATE SET sessions = path_steps.sessions + excluded.sessions`;
const SQLITE_EMPTY_STEPS = `DELETE FROM path_steps WHERE account_key = ? AND day = ? AND prev_day = ? AND prev_channel = ? AND channel = ?
  AND sessions = 0`;
const SQLITE_ENDS = `INSERT INTO path_ends (account_key, day, next_day, channel, sessions) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (account_key, day, next_day, channel) DO UPDATE SET sessions = path_ends.sessions + excluded.sessions`;
const SQLITE_EMPTY_ENDS =
  'DELETE FROM path_ends WHERE account_key = ? AND day = ? AND next_day = ? AND channel = ? AND sessions = 0';

const stepKey = (d: PathStepDelta): unknown[] => [d.accountKey, d.day, d.prevDay, d.prevChannel, d.channel];
const endKey = (d: PathEndDelta): unknown[] => [d.accountKey, d.day, d.nextDay, d.channel];

export function sqliteWritePathSteps(c: SqliteConnection, changes: readonly PathChange[]): void {
  if (changes.length === 0) return;
  const keys = JSON.stringify(changes.map((ch) => [ch.accountKey, ch.visitorId]));
  const current = grouped(c.statement<[string], CurrentRow>(SQLITE_CURRENT).all(keys));
  const { steps, ends } = pathStepDeltas(changes, current);
  const step = c.statement(SQLITE_STEPS);
  for (const d of steps) step.run(...stepKey(d), d.sessions);
  const emptyStep = c.statement(SQLITE_EMPTY_STEPS);
  for (const d of steps) if (d.sessions < 0) emptyStep.run(...stepKey(d));
  const end = c.statement(SQLITE_ENDS);
  for (const d of ends) end.run(...endKey(d), d.sessions);
  const emptyEnd = c.statement(SQLITE_EMPTY_ENDS);
  for (const d of ends) if (d.sessions < 0) emptyEnd.run(...endKey(d));
}

const PG_CURRENT = `SELECT s.account_key AS "accountKey", s.visitor_id AS "visitorId", s.id, s.started_at AS "startedAt",
    coalesce(s.channel, '') AS channel
  FROM unnest($1::integer[], $2::text[]) AS x (account_key, visitor_id)
  JOIN sessions AS s ON s.account_key = x.account_key AND s.visitor_id = x.visitor_id`;
// Deltas come merged per key and sorted: one statement never touches a row twice, and concurrent
// writers lock rows in one order. Emptied rows go in a second statement (one snapshot per statement).
const PG_WRITE = `WITH step_rows AS (
    INSERT INTO path_steps (account_key, day, prev_day, prev_channel, channel, sessions)
    SELECT * FROM unnest($1::integer[], $2::integer[], $3::integer[], $4::text[], $5::text[], $6::integer[])
    ON CONFLICT (account_key, day, prev_day, prev_channel, channel) DO UPDATE SET sessions = path_steps.sessions + excluded.sessions)
  INSERT INTO path_ends (account_key, day, next_day, channel, sessions)
  SELECT * FROM unnest($7::integer[], $8::integer[], $9::integer[], $10::text[], $11::integer[])
  ON CONFLICT (account_key, day, next_day, channel) DO UPDATE SET sessions = path_ends.sessions + excluded.sessions`;
const PG_EMPTY = `WITH empty_steps AS (
    DELETE FROM path_steps AS p USING unnest($1::integer[], $2::integer[], $3::integer[], $4::text[], $5::text[]) AS x (k, day, prev_day, prev_channel, channel)
    WHERE p.account_key = x.k AND p.day = x.day AND p.prev_day = x.prev_day AND p.prev_channel = x.prev_channel
      AND p.channel = x.channel AND p.sessions = 0)
  DELETE FROM path_ends AS p USING unnest($6::integer[], $7::integer[], $8::integer[], $9::text[]) AS x (k, day, next_day, channel)
  WHERE p.account_key = x.k AND p.day = x.day AND p.next_day = x.next_day AND p.channel = x.channel AND p.sessions = 0`;

export async function pgWritePathSteps(client: PgQueryable, changes: readonly PathChange[]): Promise<void> {
  if (changes.length === 0) return;
  const current = grouped(
    (
      await client.query<CurrentRow>(PG_CURRENT, [
        changes.map((ch) => ch.accountKey),
        changes.map((ch) => ch.visitorId),
      ])
    ).rows,
  );
  const { steps, ends } = pathStepDeltas(changes, current);
  if (steps.length + ends.length === 0) return;
  const stepCols = (rows: readonly PathStepDelta[], withCount: boolean): unknown[][] => {
    const cols = [0, 1, 2, 3, 4].map((i) => rows.map((d) => stepKey(d)[i]));
    return withCount ? [...cols, rows.map((d) => d.sessions)] : cols;
  };
  const endCols = (rows: readonly PathEndDelta[], withCount: boolean): unknown[][] => {
    const cols = [0, 1, 2, 3].map((i) => rows.map((d) => endKey(d)[i]));
    return withCount ? [...cols, rows.map((d) => d.sessions)] : cols;
  };
  await client.query(PG_WRITE, [...stepCols(steps, true), ...endCols(ends, true)]);
  const emptiedSteps = steps.filter((d) => d.sessions < 0);
  const emptiedEnds = ends.filter((d) => d.sessions < 0);
  if (emptiedSteps.length + emptiedEnds.length > 0)
    await client.query(PG_EMPTY, [...stepCols(emptiedSteps, false), ...endCols(emptiedEnds, false)]);
}
