// Every visitor's window path as counted steps, from the path_steps / path_ends read model and the raw sessions of the window's two edge days.
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { SessionFact } from '../../storage.js';
import { byPathOrder, dayOf, DAY_MS, NONE, type PathSession } from '../rollups/path-steps.js';
import { walkCtes } from './person-walk-sql.js';

/** A session as a step's side: its channel (null: unclassified), no breakdown group. */
export interface ChannelTouch {
  channel: string | null;
  group: null;
}
/** `count` window paths stepped from `from` to `to` (null: the path's start, or its end), as markovFacts' PathStepFact. */
export interface ChannelStep {
  from: ChannelTouch | null;
  to: ChannelTouch | null;
  count: number;
}

/** A session of a path to leave out: a SessionFact as read (null: no channel, which a path counts as ''). */
export type ExcludedSession = Pick<SessionFact, 'id' | 'startedAt' | 'channel'>;

/**
 * The window paths of visitors read as sessions, by visitor, for the count to leave out (`excluded`).
 * The facts themselves, not copies: at 10M events a Markov read holds ~30k of them, and every
 * object made per session is paid again by the garbage collector.
 */
export function pathsOf(sessions: readonly SessionFact[]): Map<string, SessionFact[]> {
  const out = new Map<string, SessionFact[]>();
  for (const s of sessions) {
    const list = out.get(s.visitorId);
    if (list === undefined) out.set(s.visitorId, [s]);
    else list.push(s);
  }
  return out;
}

/** A window [start, to], both ends included (sessions started in it), as markovFacts reads it. */
export interface StepWindow {
  start: number;
  to: number;
}

// The window's path of a visitor is its sessions started in [start, to] in path order: a step
// (null -> first), one per consecutive pair, and (last -> null). Per session s of the window that is
// the step (prev -> s) if its previous session also lies in the window, else (null -> s), and
// (s -> null) if its next session does not. For a session started on a day wholly inside the window
// (inner days: after start's day, before to's day) the stored days decide both, except when the
// previous session started on start's own day (in the window iff at or after start) or the next on
// to's own day (in the window iff at or before to). Those cases, and the sessions of the two edge
// days themselves, come from the raw paths of every visitor with a session on an edge day in the
// window: a previous session on start's day at or after start is such a session, and so is a next
// session on to's day at or before to. So the inner rows are counted by class (cls 2: the
// undecided day), and the raw edge paths say how many of the undecided ones lie inside.

// `rows`: a FROM item `r` with the columns of path_steps (path_ends) over the inner days.
const innerSteps = (p: (name: string) => string, rows: string): string => `SELECT
    CASE WHEN r.prev_day = ${NONE} THEN 0 WHEN r.prev_day > ${p('dS')} THEN 1 WHEN r.prev_day = ${p('dS')} THEN 2 ELSE 0 END AS cls,
    r.prev_channel AS "prevChannel", r.channel, SUM(r.sessions) AS n
  FROM ${rows} GROUP BY 1, r.prev_channel, r.channel`;
const innerEnds = (p: (name: string) => string, rows: string): string => `SELECT
    CASE WHEN r.next_day = ${NONE} OR r.next_day > ${p('dT')} THEN 1 WHEN r.next_day = ${p('dT')} THEN 2 ELSE 0 END AS cls,
    r.channel, SUM(r.sessions) AS n
  FROM ${rows} GROUP BY 1, r.channel`;
const STEP_COLUMNS = 'r.day, r.prev_day, r.prev_channel, r.channel';
const END_COLUMNS = 'r.day, r.next_day, r.channel';
const innerDays = (p: (name: string) => string): string => `r.day > ${p('dS')} AND r.day < ${p('dT')}`;
const innerSelect = (p: (name: string) => string, table: string, columns: string): string =>
  `SELECT ${columns}, r.sessions FROM accounts a JOIN ${table} r ON r.account_key = a.key AND ${innerDays(p)}
    WHERE a.id = ${p('account')}`;
const innerRows = (p: (name: string) => string, table: string, columns: string): string =>
  `(${innerSelect(p, table, columns)}) AS r`;
// Sessions started in [a, b] were last seen in [a, b + the account's longest span] (session_spans):
// the bound lets sessions_by_activity do the range scan. Then those visitors' sessions in the
// window [a1, b2]: a session before it or after it would only end a path there, as no session does.
const edgeCtes = (
  p: (name: string) => string,
): string => `acct(k) AS (SELECT key FROM accounts WHERE id = ${p('account')}),
  span(ms) AS (SELECT coalesce((SELECT max_span FROM session_spans WHERE account_key = (SELECT k FROM acct)), 0)),
  ranges(a, b) AS (VALUES (${p('a1')}, ${p('b1')}), (${p('a2')}, ${p('b2')})),
  edge(v) AS (SELECT DISTINCT s.visitor_id FROM acct CROSS JOIN span CROSS JOIN ranges CROSS JOIN sessions s
    WHERE s.account_key = acct.k AND s.last_seen_at >= ranges.a AND s.last_seen_at <= ranges.b + span.ms
      AND s.started_at >= ranges.a AND s.started_at <= ranges.b)`;
const PATH_COLUMNS = `s.visitor_id AS "visitorId", s.id, s.started_at AS "startedAt", coalesce(s.channel, '') AS channel`;
// linked: the visitor has an identity row (person paths walk from those; see below).
const edgePaths = (
  dialect: 'sqlite' | 'postgres',
  p: (name: string) => string,
  fence: string,
): string => `WITH ${edgeCtes(p)},
  flagged(v, linked) AS (SELECT edge.v, EXISTS (SELECT 1 FROM identities i${
    dialect === 'sqlite' ? ' INDEXED BY identities_by_visitor' : ''
  } WHERE i.account_key = (SELECT k FROM acct) AND i.visitor_id = edge.v) FROM edge)
  SELECT ${PATH_COLUMNS}, flagged.linked AS linked
  FROM flagged CROSS JOIN acct CROSS JOIN ${fence.replace('@', 'flagged.v')}`;
const SQLITE_EDGE = edgePaths(
  'sqlite',
  (n) => `@${n}`,
  // The index by (account, visitor, started_at) holds channel and id too (sqlite 028): no session row is read.
  'sessions s INDEXED BY sessions_by_visitor_start WHERE s.account_key = acct.k AND s.visitor_id = @ AND s.started_at >= @a1 AND s.started_at <= @b2',
);
const pgEdgeParam = (n: string): string =>
  `$${['account', 'a1', 'b1', 'a2', 'b2'].indexOf(n) + 1}::${n === 'account' ? 'text' : 'bigint'}`;
const PG_EDGE = edgePaths(
  'postgres',
  pgEdgeParam,
  `LATERAL (SELECT * FROM sessions s WHERE s.account_key = acct.k AND s.visitor_id = @
    AND s.started_at >= ${pgEdgeParam('a1')} AND s.started_at <= ${pgEdgeParam('b2')} OFFSET 0) s`,
);
// Person paths (docs/read-model.md, "Person paths"): with `sent` (the visitors the caller reads
// whole, every person of them), the correction rows of every other person of several visitors are
// added, except rows stored under a marked visitor (the person changed since the refresher built
// them): the per-day sums of all persons' rows (person_path_day_*), less the rows stored under a
// sent or marked visitor, read by key. On the edge days such a person's merged path replaces its
// visitors' own: the persons are walked from the edge visitors with identity links that were not
// sent (a walk from outside the sent persons never enters them: each is closed under links).
interface PersonTables {
  rows: string;
  days: string;
  columns: string;
}
const PERSON_STEPS: PersonTables = { rows: 'person_path_steps', days: 'person_path_day_steps', columns: STEP_COLUMNS };
const PERSON_ENDS: PersonTables = { rows: 'person_path_ends', days: 'person_path_day_ends', columns: END_COLUMNS };
const personRows = (p: (name: string) => string, t: PersonTables, sent: string, account: string): string =>
  `(${innerSelect(p, t.days, t.columns)}
    UNION ALL
    SELECT ${t.columns}, -r.sessions FROM (${sent}
      UNION SELECT d.visitor_id FROM journey_dirty d WHERE d.account_key = ${account}) AS live
      CROSS JOIN ${t.rows} r WHERE r.account_key = ${account} AND r.visitor_id = live.v AND ${innerDays(p)}) AS r`;
// Person paths on the edge days: the walk (once) from the linked edge visitors not sent, then its visitors' sessions and links by key.
const personVisitors = (dialect: 'sqlite' | 'postgres', account: string, starts: string): string =>
  `WITH RECURSIVE acct(k) AS (SELECT key FROM accounts WHERE id = ${account}),
  ${walkCtes(dialect, starts, 'acct.k')}
  SELECT visitor_id AS v FROM person`;
const SQLITE_PERSON_VISITORS = personVisitors(
  'sqlite',
  '@account',
  'SELECT value AS visitor_id FROM json_each(@starts)',
);
const SQLITE_PERSON_SESSIONS = `SELECT ${PATH_COLUMNS}
  FROM json_each(@visitors) AS p CROSS JOIN sessions s INDEXED BY sessions_by_visitor_start
    ON s.account_key = (SELECT key FROM accounts WHERE id = @account) AND s.visitor_id = p.value
  WHERE s.started_at >= @a1 AND s.started_at <= @b2`;
const SQLITE_PERSON_LINKS = `SELECT i.user_id AS "userId", i.visitor_id AS "visitorId"
  FROM json_each(@visitors) AS p CROSS JOIN identities i INDEXED BY identities_by_visitor
    ON i.account_key = (SELECT key FROM accounts WHERE id = @account) AND i.visitor_id = p.value`;
const PG_PERSON_VISITORS = personVisitors('postgres', '$1', 'SELECT unnest($2::text[]) COLLATE "C" AS visitor_id');
const PG_PERSON_SESSIONS = `SELECT ${PATH_COLUMNS} FROM unnest($2::text[]) AS p (v)
  CROSS JOIN LATERAL (SELECT * FROM sessions s WHERE s.account_key = (SELECT key FROM accounts WHERE id = $1)
    AND s.visitor_id = p.v AND s.started_at >= $3 AND s.started_at <= $4 OFFSET 0) s`;
const PG_PERSON_LINKS = `SELECT i.user_id AS "userId", i.visitor_id AS "visitorId" FROM unnest($2::text[]) AS p (v)
  CROSS JOIN LATERAL (SELECT * FROM identities i WHERE i.account_key = (SELECT key FROM accounts WHERE id = $1)
    AND i.visitor_id = p.v OFFSET 0) i`;
const sqliteNamed = (n: string): string => `@${n}`;
const pgInner = (n: string): string => `$${['account', 'dS', 'dT'].indexOf(n) + 1}`;
const SQLITE_INNER_STEPS = innerSteps(sqliteNamed, innerRows(sqliteNamed, 'path_steps', STEP_COLUMNS));
const SQLITE_INNER_ENDS = innerEnds(sqliteNamed, innerRows(sqliteNamed, 'path_ends', END_COLUMNS));
const PG_INNER_STEPS = innerSteps(pgInner, innerRows(pgInner, 'path_steps', STEP_COLUMNS));
const PG_INNER_ENDS = innerEnds(pgInner, innerRows(pgInner, 'path_ends', END_COLUMNS));
const sqlitePerson = (t: PersonTables): string =>
  personRows(
    sqliteNamed,
    t,
    'SELECT value AS v FROM json_each(@sent)',
    '(SELECT key FROM accounts WHERE id = @account)',
  );
const SQLITE_PERSON_STEPS = innerSteps(sqliteNamed, sqlitePerson(PERSON_STEPS));
const SQLITE_PERSON_ENDS = innerEnds(sqliteNamed, sqlitePerson(PERSON_ENDS));
const pgPerson = (t: PersonTables): string =>
  personRows(pgInner, t, 'SELECT unnest($4::text[]) COLLATE "C" AS v', '(SELECT key FROM accounts WHERE id = $1)');
const PG_PERSON_STEPS = innerSteps(pgInner, pgPerson(PERSON_STEPS));
const PG_PERSON_ENDS = innerEnds(pgInner, pgPerson(PERSON_ENDS));

interface StepRow {
  cls: number | string;
  prevChannel: string;
  channel: string;
  n: number | string;
}
interface EndRow {
  cls: number | string;
  channel: string;
  n: number | string;
}
interface EdgeRow extends PathSession {
  visitorId: string;
  /** The visitor has an identity row (edge rows only). */
  linked?: number | boolean;
}

/** The edge visitors with identity rows that were not sent: the person-path walk starts there. */
function linkedStarts(edge: readonly EdgeRow[], sent: readonly string[]): string[] {
  const out = new Set<string>();
  const skip = new Set(sent);
  for (const r of edge) if ((r.linked === 1 || r.linked === true) && !skip.has(r.visitorId)) out.add(r.visitorId);
  return [...out];
}
interface Link {
  userId: string;
  visitorId: string;
}
interface Raw {
  steps: StepRow[];
  ends: EndRow[];
  edge: EdgeRow[];
  /** With person paths: the walked edge persons' sessions (all of them) and links. */
  persons?: { sessions: EdgeRow[]; links: Link[] };
}

/** The two edge ranges (inclusive): start's day from start, and to's day up to to (one range when they share a day). */
function edgeRanges(w: StepWindow): { a1: number; b1: number; a2: number; b2: number; dS: number; dT: number } {
  const dS = dayOf(w.start);
  const dT = dayOf(w.to);
  const b1 = Math.min(w.to, (dS + 1) * DAY_MS - 1);
  const a2 = Math.max(w.start, dT * DAY_MS);
  return { a1: w.start, b1, a2, b2: w.to, dS, dT };
}

/** A path's start or end in a counter key: no channel is this string ('' is a session without channel). */
const EDGE = '\u0001';
const touch = (side: string): ChannelTouch | null =>
  side === EDGE ? null : { channel: side === '' ? null : side, group: null };

/** Step counts by from, then to; null (a path's start or end) is EDGE. Nested maps: no key string is made per step. */
class StepCounter {
  readonly counts = new Map<string, Map<string, number>>();
  add(from: string | null, to: string | null, n: number): void {
    const f = from ?? EDGE;
    const t = to ?? EDGE;
    let row = this.counts.get(f);
    if (row === undefined) {
      row = new Map();
      this.counts.set(f, row);
    }
    row.set(t, (row.get(t) ?? 0) + n);
  }
}

/** The path of one visitor's window sessions, counted (n = 1 adds, -1 takes away). */
function countWindowPath(counter: StepCounter, path: readonly ExcludedSession[], n: number): void {
  const sorted = [...path].sort(byPathOrder);
  let prev: string | null = null;
  for (const s of sorted) {
    const channel = s.channel ?? '';
    counter.add(prev, channel, n);
    prev = channel;
  }
  if (prev !== null) counter.add(prev, null, n);
}

/**
 * The rows themselves, by visitor (each is a PathSession: started_at a number, channel '' for none).
 * A visitor's rows come one after another from its key lookup: the run is kept, not looked up again.
 */
function byVisitor(rows: readonly EdgeRow[]): Map<string, PathSession[]> {
  const paths = new Map<string, PathSession[]>();
  let runVisitor: string | null = null;
  let runList: PathSession[] = [];
  for (const r of rows) {
    if (r.visitorId !== runVisitor) {
      runVisitor = r.visitorId;
      const list = paths.get(r.visitorId);
      if (list === undefined) {
        runList = [];
        paths.set(r.visitorId, runList);
      } else runList = list;
    }
    runList.push(r);
  }
  return paths;
}

/**
 * Replaces the edge paths of every visitor of a walked person of several visitors by the person's
 * merged path (its stored rows were added, so its inner days already count that path).
 */
function mergePersons(paths: Map<string, PathSession[]>, persons: NonNullable<Raw['persons']>): void {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(x, root);
    return root;
  };
  const unite = (a: string, b: string): void => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra, rb);
  };
  // User ids and visitor ids share the map: a user id is a node between its visitors.
  for (const l of persons.links) unite(`v${l.visitorId}`, `u${l.userId}`);
  const visitorsOf = new Map<string, Set<string>>();
  for (const l of persons.links) {
    const root = find(`v${l.visitorId}`);
    const set = visitorsOf.get(root) ?? new Set<string>();
    set.add(l.visitorId);
    visitorsOf.set(root, set);
  }
  const sessions = byVisitor(persons.sessions);
  for (const [root, visitors] of visitorsOf) {
    if (visitors.size < 2) continue;
    for (const v of visitors) paths.delete(v);
    paths.set(
      `\u0000${root}`,
      [...visitors].flatMap((v) => sessions.get(v) ?? []),
    );
  }
}

function combine(raw: Raw, w: StepWindow): StepCounter {
  const { dS, dT } = edgeRanges(w);
  const counter = new StepCounter();
  const inner = (day: number): boolean => day > dS && day < dT;
  for (const r of raw.steps) {
    const n = Number(r.n);
    if (Number(r.cls) === 1) counter.add(r.prevChannel, r.channel, n);
    else counter.add(null, r.channel, n); // cls 2 moves its inside part back below
  }
  for (const r of raw.ends) if (Number(r.cls) !== 0) counter.add(r.channel, null, Number(r.n));
  const paths = byVisitor(raw.edge);
  if (raw.persons !== undefined) mergePersons(paths, raw.persons);
  const inWindow = (t: number): boolean => t >= w.start && t <= w.to;
  for (const path of paths.values()) {
    const sorted = path.sort(byPathOrder);
    for (const [i, s] of sorted.entries()) {
      const day = dayOf(s.startedAt);
      if (!inWindow(s.startedAt) || inner(day)) continue;
      const prev = sorted[i - 1];
      const next = sorted[i + 1];
      counter.add(prev !== undefined && prev.startedAt >= w.start ? prev.channel : null, s.channel, 1);
      if (next === undefined || next.startedAt > w.to) counter.add(s.channel, null, 1);
      // An inner session whose previous session is this one (start's day, inside): its step was counted from null.
      if (day === dS && next !== undefined && inner(dayOf(next.startedAt))) {
        counter.add(s.channel, next.channel, 1);
        counter.add(null, next.channel, -1);
      }
      // An inner session whose next session is this one (to's day, inside): it was counted as an end.
      if (day === dT && prev !== undefined && inner(dayOf(prev.startedAt))) counter.add(prev.channel, null, -1);
    }
  }
  return counter;
}

function sqliteRaw(c: SqliteConnection, accountId: string, w: StepWindow, sent?: readonly string[]): Raw {
  const { a1, b1, a2, b2, dS, dT } = edgeRanges(w);
  const inner = { account: accountId, dS, dT };
  const all = <T>(sql: string, args: Record<string, unknown>): T[] =>
    c.statement<[Record<string, unknown>], T>(sql).all(args);
  const edgeArgs = { account: accountId, a1, b1, a2, b2 };
  const raw: Raw = {
    steps: all<StepRow>(SQLITE_INNER_STEPS, inner),
    ends: all<EndRow>(SQLITE_INNER_ENDS, inner),
    edge: all<EdgeRow>(SQLITE_EDGE, edgeArgs),
  };
  if (sent === undefined) return raw;
  const json = JSON.stringify(sent);
  raw.steps.push(...all<StepRow>(SQLITE_PERSON_STEPS, { ...inner, sent: json }));
  raw.ends.push(...all<EndRow>(SQLITE_PERSON_ENDS, { ...inner, sent: json }));
  const starts = linkedStarts(raw.edge, sent);
  if (starts.length === 0) return { ...raw, persons: { sessions: [], links: [] } };
  const visitors = JSON.stringify(
    all<{ v: string }>(SQLITE_PERSON_VISITORS, { account: accountId, starts: JSON.stringify(starts) }).map((r) => r.v),
  );
  raw.persons = {
    sessions: all<EdgeRow>(SQLITE_PERSON_SESSIONS, { account: accountId, visitors, a1, b2 }),
    links: all<Link>(SQLITE_PERSON_LINKS, { account: accountId, visitors }),
  };
  return raw;
}

async function pgRaw(client: PgQueryable, accountId: string, w: StepWindow, sent?: readonly string[]): Promise<Raw> {
  const { a1, b1, a2, b2, dS, dT } = edgeRanges(w);
  const raw: Raw = {
    steps: (await client.query<StepRow>(PG_INNER_STEPS, [accountId, dS, dT])).rows,
    ends: (await client.query<EndRow>(PG_INNER_ENDS, [accountId, dS, dT])).rows,
    edge: (await client.query<EdgeRow>(PG_EDGE, [accountId, a1, b1, a2, b2])).rows,
  };
  if (sent === undefined) return raw;
  raw.steps.push(...(await client.query<StepRow>(PG_PERSON_STEPS, [accountId, dS, dT, sent])).rows);
  raw.ends.push(...(await client.query<EndRow>(PG_PERSON_ENDS, [accountId, dS, dT, sent])).rows);
  const starts = linkedStarts(raw.edge, sent);
  if (starts.length === 0) return { ...raw, persons: { sessions: [], links: [] } };
  const visitors = (await client.query<{ v: string }>(PG_PERSON_VISITORS, [accountId, starts])).rows.map((r) => r.v);
  raw.persons = {
    sessions: (await client.query<EdgeRow>(PG_PERSON_SESSIONS, [accountId, visitors, a1, b2])).rows,
    links: (await client.query<Link>(PG_PERSON_LINKS, [accountId, visitors])).rows,
  };
  return raw;
}

/**
 * Every visitor's window path as steps, less the paths of `excluded` visitors (their window
 * sessions, which the caller has read and counts itself). Null when a count comes out negative: the
 * read model disagrees with the sessions, which the caller answers by counting from raw rows.
 * Called inside the transaction that read `excluded`, so both see one snapshot.
 */
function counted(
  raw: Raw,
  w: StepWindow,
  excluded: ReadonlyMap<string, readonly ExcludedSession[]>,
): ChannelStep[] | null {
  const counter = combine(raw, w);
  for (const path of excluded.values()) countWindowPath(counter, path, -1);
  const out: ChannelStep[] = [];
  for (const [from, row] of counter.counts) {
    for (const [to, count] of row) {
      if (count < 0) return null;
      if (count === 0) continue;
      out.push({ from: touch(from), to: touch(to), count });
    }
  }
  return out;
}

/**
 * `sent`: the visitors read whole (every visitor of their persons); given, the other persons of
 * several visitors are counted from their person-path rows as one path each. Without it every
 * visitor's own path is counted (the caller reads every person of several visitors whole).
 */
export function sqlitePathStepCounts(
  c: SqliteConnection,
  accountId: string,
  w: StepWindow,
  excluded: ReadonlyMap<string, readonly ExcludedSession[]>,
  sent?: readonly string[],
): ChannelStep[] | null {
  return counted(sqliteRaw(c, accountId, w, sent), w, excluded);
}

export async function pgPathStepCounts(
  client: PgQueryable,
  accountId: string,
  w: StepWindow,
  excluded: ReadonlyMap<string, readonly ExcludedSession[]>,
  sent?: readonly string[],
): Promise<ChannelStep[] | null> {
  return counted(await pgRaw(client, accountId, w, sent), w, excluded);
}
