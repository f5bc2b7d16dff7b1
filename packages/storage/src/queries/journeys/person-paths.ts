// The journey refresher's person-path rows: a walked person's merged path minus its visitors' own paths, stored under its least visitor id (docs/read-model.md, "Person paths").
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import { personPathRows, type PathSession } from '../rollups/path-steps.js';

// A person's rows are replaced whole: every row stored under one of its visitors goes (an earlier
// person of these visitors stored its rows under its own least visitor, which is among them unless
// that visitor left the person: an alias moves a ghost's links away and marks the ghost, whose
// rows dropPersonPaths deletes; erasure deletes by visitor), then its current rows go under its
// least visitor id in code-unit order.

interface SessionRow extends PathSession {
  visitorId: string;
}

/** Each visitor's own path, from its sessions (all of them: a path is not windowed here). */
function pathsOf(rows: readonly SessionRow[]): PathSession[][] {
  const by = new Map<string, PathSession[]>();
  for (const r of rows) {
    const list = by.get(r.visitorId) ?? [];
    list.push({ id: r.id, startedAt: Number(r.startedAt), channel: r.channel });
    by.set(r.visitorId, list);
  }
  return [...by.values()];
}

const leastOf = (visitors: readonly string[]): string => visitors.reduce((a, b) => (b < a ? b : a));

const SQLITE_DROP_STEPS = `DELETE FROM person_path_steps WHERE account_key = @k AND visitor_id IN (SELECT value FROM json_each(@visitors))`;
const SQLITE_DROP_ENDS = `DELETE FROM person_path_ends WHERE account_key = @k AND visitor_id IN (SELECT value FROM json_each(@visitors))`;
const SQLITE_SESSIONS = `SELECT s.visitor_id AS visitorId, s.id, s.started_at AS startedAt, coalesce(s.channel, '') AS channel
  FROM json_each(@visitors) AS p CROSS JOIN sessions s INDEXED BY sessions_by_visitor_start
    ON s.account_key = @k AND s.visitor_id = p.value`;
const SQLITE_STEP = `INSERT INTO person_path_steps (account_key, visitor_id, day, prev_day, prev_channel, channel, sessions)
  VALUES (?, ?, ?, ?, ?, ?, ?)`;
const SQLITE_END = `INSERT INTO person_path_ends (account_key, visitor_id, day, next_day, channel, sessions)
  VALUES (?, ?, ?, ?, ?, ?)`;

/** Deletes the rows stored under any of `visitors` (JSON array); returns the rows deleted. */
export function sqliteDropPersonPaths(c: SqliteConnection, k: number, visitors: string): number {
  return (
    c.statement(SQLITE_DROP_STEPS).run({ k, visitors }).changes +
    c.statement(SQLITE_DROP_ENDS).run({ k, visitors }).changes
  );
}

/** Replaces the person's rows; returns the work done (sessions read and rows written or deleted). */
export function sqliteRebuildPersonPaths(c: SqliteConnection, k: number, list: readonly string[]): number {
  const visitors = JSON.stringify(list);
  let work = sqliteDropPersonPaths(c, k, visitors);
  if (list.length < 2) return work;
  const sessions = c.statement<[Record<string, unknown>], SessionRow>(SQLITE_SESSIONS).all({ k, visitors });
  const { steps, ends } = personPathRows(k, pathsOf(sessions));
  const anchor = leastOf(list);
  const step = c.statement(SQLITE_STEP);
  for (const d of steps) step.run(k, anchor, d.day, d.prevDay, d.prevChannel, d.channel, d.sessions);
  const end = c.statement(SQLITE_END);
  for (const d of ends) end.run(k, anchor, d.day, d.nextDay, d.channel, d.sessions);
  work += sessions.length + steps.length + ends.length;
  return work;
}

const PG_DROP = `WITH steps AS (DELETE FROM person_path_steps WHERE account_key = $1 AND visitor_id = ANY($2::text[]) RETURNING 1),
  ends AS (DELETE FROM person_path_ends WHERE account_key = $1 AND visitor_id = ANY($2::text[]) RETURNING 1)
  SELECT (SELECT COUNT(*) FROM steps) + (SELECT COUNT(*) FROM ends) AS n`;
const PG_SESSIONS = `SELECT s.visitor_id AS "visitorId", s.id, s.started_at AS "startedAt", coalesce(s.channel, '') AS channel
  FROM unnest($2::text[]) AS p (v)
  CROSS JOIN LATERAL (SELECT * FROM sessions s WHERE s.account_key = $1 AND s.visitor_id = p.v OFFSET 0) s`;
const PG_WRITE = `WITH steps AS (
    INSERT INTO person_path_steps (account_key, visitor_id, day, prev_day, prev_channel, channel, sessions)
    SELECT $1, $2, * FROM unnest($3::integer[], $4::integer[], $5::text[], $6::text[], $7::integer[]))
  INSERT INTO person_path_ends (account_key, visitor_id, day, next_day, channel, sessions)
  SELECT $1, $2, * FROM unnest($8::integer[], $9::integer[], $10::text[], $11::integer[])`;

// batch-tombstones.ts's erasure lock (class 20, hashtext of the account id), shared.
const PG_ERASURE_LOCK_OF_KEY =
  'SELECT pg_advisory_xact_lock_shared(20, hashtext(a.id)) FROM accounts a WHERE a.key = $1';

/**
 * Takes the account's erasure lock shared first: the rows' triggers update the per-day sums
 * (migration 026), which erasure's deletes update too, so every writer of person rows takes that
 * lock before its first write and two of them never wait on each other's rows in opposite orders.
 */
export async function pgDropPersonPaths(client: PgQueryable, k: number, visitors: readonly string[]): Promise<number> {
  await client.query(PG_ERASURE_LOCK_OF_KEY, [k]);
  return Number((await client.query<{ n: string }>(PG_DROP, [k, visitors])).rows[0]?.n ?? 0);
}

export async function pgRebuildPersonPaths(
  client: PgQueryable,
  k: number,
  visitors: readonly string[],
): Promise<number> {
  let work = await pgDropPersonPaths(client, k, visitors);
  if (visitors.length < 2) return work;
  // The rows are computed here from sessions read here: an erasure committing in between would leave
  // them behind (READ COMMITTED). The account's erasure lock, shared as every writer holds it and
  // taken by the drop above, makes the erasure wait for this step or this read see its deletes.
  const sessions = (await client.query<SessionRow>(PG_SESSIONS, [k, visitors])).rows;
  const { steps, ends } = personPathRows(k, pathsOf(sessions));
  if (steps.length + ends.length > 0)
    await client.query(PG_WRITE, [
      k,
      leastOf(visitors),
      steps.map((d) => d.day),
      steps.map((d) => d.prevDay),
      steps.map((d) => d.prevChannel),
      steps.map((d) => d.channel),
      steps.map((d) => d.sessions),
      ends.map((d) => d.day),
      ends.map((d) => d.nextDay),
      ends.map((d) => d.channel),
      ends.map((d) => d.sessions),
    ]);
  work += sessions.length + steps.length + ends.length;
  return work;
}
