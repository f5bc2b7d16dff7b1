// integrityFacts: the raw counts the integrity checks (DESIGN.md L6) are computed from, for one account at one instant.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import { named, type NamedStatement } from '../../dialects/postgres-named-params.js';
import { ACCOUNT_KEY_OF_NAMED } from '../accounts/account-key.js';

/** Sessions started in a window and their distinct visitors; "new" counts only visitors first seen in it. */
export interface WindowCounts {
  sessions: number;
  visitors: number;
  newVisitorSessions: number;
  newVisitors: number;
}

/**
 * The raw numbers the integrity checks (DESIGN.md L6) are computed from, for one account at `now`.
 * Windows end at `now`: day = the last 24 h, week = the last 7 d; sessions count in the window they started in.
 */
export interface IntegrityFacts {
  now: number;
  day: WindowCounts;
  week: WindowCounts;
  /** Sessions started in the last 24 h with no events or no pageview. */
  emptySessionsDay: number;
  /** Sessions started in the last 7 d whose referrer's host is their own landing host. */
  selfReferralsWeek: number;
  /** Visitors with more than 10 sessions started in the last 24 h: how many, and the worst 10 by count. */
  extremeVisitorsDay: { count: number; top: Array<{ visitorId: string; sessions: number }> };
  /** Visitors with more than 50 sessions started in the last 30 d, and all visitors with a session started in them. */
  heavyVisitorsMonth: { count: number; visitors: number };
  /** Visitors who converted in the last 7 d, and the sessions they started in those 7 d. */
  convertersWeek: { converters: number; sessions: number };
  /** Sessions (last 24 h) started less than 1 s after the previous session of the same visitor, and those visitors. */
  flappingDay: { pairs: number; visitors: number };
  /** Sessions started in the last hour, against those started in the 7 d before it ([baselineFrom, baselineTo) is the span with data). */
  sessionRate: { lastHour: number; baselineSessions: number; baselineFrom: number | null; baselineTo: number };
  /** Events in the last 24 h and in the 24 h before. */
  eventVolume: { last24h: number; previous24h: number };
  /** User ids that identify linked to visitors (all time): how many, the most visitors on one, and how many have more than SHARED_LOGIN_VISITORS. */
  sharedLogins: { users: number; largest: number; overShared: number };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** A visitor with more sessions than this started in 24 h is an "extreme visitor". */
export const EXTREME_SESSIONS_PER_DAY = 10;
/** A visitor with more sessions than this started in 30 d is a "heavy visitor". */
export const HEAVY_SESSIONS_PER_MONTH = 50;
/** How many extreme visitors are named in the facts. */
export const EXTREME_VISITORS_LISTED = 10;
/** Two sessions of one visitor started closer than this are a flapping pair. */
export const FLAPPING_GAP_MS = 1000;
/** A user id linked to more visitors than this is counted as shared (a person signs in on a handful). */
export const SHARED_LOGIN_VISITORS = 100;

// Every window is "sessions started in [@from, @now)". started_at >= @from implies
// last_seen_at >= @from; the redundant bound lets sessions_by_activity do the range scan.
const STARTED_IN = (from: string, t = ''): string =>
  `${t}account_key = ${ACCOUNT_KEY_OF_NAMED} AND ${t}last_seen_at >= ${from} AND ${t}started_at >= ${from} AND ${t}started_at < @now`;

// Sessions, distinct visitors, and the same for visitors first seen inside the window.
const SQLITE_WINDOW = `SELECT COUNT(*) AS sessions, COUNT(DISTINCT s.visitor_id) AS visitors,
    COUNT(v.id) AS newVisitorSessions, COUNT(DISTINCT v.id) AS newVisitors
  FROM sessions AS s
  LEFT JOIN visitors AS v ON v.account_key = s.account_key AND v.id = s.visitor_id AND v.first_seen_at >= @from
  WHERE ${STARTED_IN('@from', 's.')}`;

// Ghost sessions: no events at all, or no pageview. Self-referrals: the referrer's host is the
// landing host (landing_host is lower-cased by the pipeline; LIKE is case-insensitive for ASCII).
const SQLITE_QUALITY = `SELECT
    (SELECT COUNT(*) FROM sessions WHERE ${STARTED_IN('@day')} AND (event_count = 0 OR pageview_count = 0)) AS emptySessions,
    (SELECT COUNT(*) FROM sessions WHERE ${STARTED_IN('@week')} AND landing_host IS NOT NULL AND referrer IS NOT NULL
       AND (referrer LIKE 'http://' || landing_host || '/%' OR referrer LIKE 'https://' || landing_host || '/%'
         OR referrer LIKE 'http://' || landing_host OR referrer LIKE 'https://' || landing_host
         OR referrer LIKE 'http://' || landing_host || ':%' OR referrer LIKE 'https://' || landing_host || ':%')) AS selfReferrals`;

const EXTREME = `SELECT visitor_id AS visitorId, COUNT(*) AS sessions FROM sessions WHERE ${STARTED_IN('@day')}
  GROUP BY visitor_id HAVING COUNT(*) > @limit`;
const SQLITE_EXTREME_COUNT = `SELECT COUNT(*) AS n FROM (${EXTREME})`;
const SQLITE_EXTREME_TOP = `${EXTREME} ORDER BY sessions DESC, visitorId LIMIT @top`;

const SQLITE_HEAVY = `SELECT COUNT(*) AS visitors, COALESCE(SUM(n > @heavy), 0) AS count FROM (
    SELECT COUNT(*) AS n FROM sessions WHERE ${STARTED_IN('@month')} GROUP BY visitor_id)`;

const SQLITE_CONVERTERS = `WITH converters AS (SELECT DISTINCT visitor_id FROM conversions
    WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @week AND occurred_at < @now)
  SELECT (SELECT COUNT(*) FROM converters) AS converters,
    (SELECT COUNT(*) FROM sessions WHERE ${STARTED_IN('@week')} AND visitor_id IN (SELECT visitor_id FROM converters)) AS sessions`;

// A flapping pair: a session started less than @gap ms after the previous session of the same visitor.
const SQLITE_FLAPPING = `SELECT COUNT(*) AS pairs, COUNT(DISTINCT visitor_id) AS visitors FROM (
    SELECT visitor_id, started_at - LAG(started_at) OVER (PARTITION BY visitor_id ORDER BY started_at) AS gap
    FROM sessions WHERE ${STARTED_IN('@day')})
  WHERE gap IS NOT NULL AND gap < @gap`;

// The baseline is the 7 days before the last hour, so a burst in the last hour never raises its own baseline.
const SQLITE_RATE = `SELECT
    (SELECT COUNT(*) FROM sessions WHERE ${STARTED_IN('@hour')}) AS lastHour,
    (SELECT COUNT(*) FROM sessions WHERE account_key = ${ACCOUNT_KEY_OF_NAMED}
       AND last_seen_at >= @baseFrom AND started_at >= @baseFrom AND started_at < @hour) AS baselineSessions,
    (SELECT MIN(started_at) FROM sessions WHERE account_key = ${ACCOUNT_KEY_OF_NAMED}
       AND last_seen_at >= @baseFrom AND started_at >= @baseFrom AND started_at < @hour) AS baselineFrom`;

const SQLITE_EVENTS = `SELECT
    (SELECT COUNT(*) FROM events WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @day AND occurred_at < @now) AS last24h,
    (SELECT COUNT(*) FROM events WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @prevDay AND occurred_at < @day) AS previous24h`;

// One pass over the account's identities in key order (account, user id, visitor): the visitors of
// each user id. Not named: user ids may be e-mail addresses, and reports travel to webhooks.
const SQLITE_LOGINS = `SELECT COUNT(*) AS users, COALESCE(MAX(n), 0) AS largest, COALESCE(SUM(n > @shared), 0) AS overShared FROM (
    SELECT COUNT(*) AS n FROM identities WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} GROUP BY user_id)`;

// PostgreSQL: the same statements with quoted camelCase aliases (unquoted ones fold to lower
// case), ILIKE for SQLite's case-insensitive LIKE, FILTER for SQLite's SUM(boolean), and a name
// on every derived table. Parameters stay named (@x) and are compiled to $n once.
const PG_WINDOW = named<
  'account' | 'now' | 'from'
>(`SELECT COUNT(*) AS sessions, COUNT(DISTINCT s.visitor_id) AS visitors,
    COUNT(v.id) AS "newVisitorSessions", COUNT(DISTINCT v.id) AS "newVisitors"
  FROM sessions AS s
  LEFT JOIN visitors AS v ON v.account_key = s.account_key AND v.id = s.visitor_id AND v.first_seen_at >= @from
  WHERE ${STARTED_IN('@from', 's.')}`);
const PG_QUALITY = named<keyof Bounds>(
  SQLITE_QUALITY.replaceAll(' LIKE ', ' ILIKE ')
    .replace('AS emptySessions', 'AS "emptySessions"')
    .replace('AS selfReferrals', 'AS "selfReferrals"'),
);
const PG_EXTREME = `SELECT visitor_id AS "visitorId", COUNT(*) AS sessions FROM sessions WHERE ${STARTED_IN('@day')}
  GROUP BY visitor_id HAVING COUNT(*) > @limit`;
const PG_EXTREME_COUNT = named<keyof Bounds | 'limit'>(`SELECT COUNT(*) AS n FROM (${PG_EXTREME}) AS extreme`);
const PG_EXTREME_TOP = named<keyof Bounds | 'limit' | 'top'>(
  `${PG_EXTREME} ORDER BY sessions DESC, "visitorId" LIMIT @top`,
);
const PG_HEAVY = named<
  keyof Bounds | 'heavy'
>(`SELECT COUNT(*) AS visitors, COUNT(*) FILTER (WHERE n > @heavy) AS count FROM (
    SELECT COUNT(*) AS n FROM sessions WHERE ${STARTED_IN('@month')} GROUP BY visitor_id) AS per_visitor`);
const PG_CONVERTERS = named<keyof Bounds>(SQLITE_CONVERTERS);
const PG_FLAPPING = named<keyof Bounds | 'gap'>(`SELECT COUNT(*) AS pairs, COUNT(DISTINCT visitor_id) AS visitors FROM (
    SELECT visitor_id, started_at - LAG(started_at) OVER (PARTITION BY visitor_id ORDER BY started_at) AS gap
    FROM sessions WHERE ${STARTED_IN('@day')}) AS gaps
  WHERE gap IS NOT NULL AND gap < @gap`);
const PG_RATE = named<keyof Bounds>(
  SQLITE_RATE.replace('AS lastHour', 'AS "lastHour"')
    .replace('AS baselineSessions', 'AS "baselineSessions"')
    .replace('AS baselineFrom', 'AS "baselineFrom"'),
);
const PG_LOGINS = named<'account' | 'shared'>(`SELECT COUNT(*) AS users, COALESCE(MAX(n), 0) AS largest,
    COUNT(*) FILTER (WHERE n > @shared) AS "overShared" FROM (
    SELECT COUNT(*) AS n FROM identities WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} GROUP BY user_id) AS per_user`);
const PG_EVENTS = named<keyof Bounds>(
  SQLITE_EVENTS.replace('AS last24h', 'AS "last24h"').replace('AS previous24h', 'AS "previous24h"'),
);

interface Bounds {
  account: string;
  now: number;
  hour: number;
  day: number;
  prevDay: number;
  week: number;
  month: number;
  baseFrom: number;
}
type Counts<K extends string> = Record<K, number>;

type Rate = { lastHour: number; baselineSessions: number; baselineFrom: number | null };

/** What each statement returned, in either dialect. */
interface RawFacts {
  day: IntegrityFacts['day'];
  week: IntegrityFacts['day'];
  quality: Counts<'emptySessions' | 'selfReferrals'>;
  extremeCount: number;
  extremeTop: Array<{ visitorId: string; sessions: number }>;
  heavy: Counts<'count' | 'visitors'>;
  converters: Counts<'converters' | 'sessions'>;
  flapping: Counts<'pairs' | 'visitors'>;
  rate: Rate | undefined;
  events: Counts<'last24h' | 'previous24h'>;
  logins: Counts<'users' | 'largest' | 'overShared'>;
}

function assemble(b: Bounds, r: RawFacts): IntegrityFacts {
  return {
    now: b.now,
    day: r.day,
    week: r.week,
    emptySessionsDay: r.quality.emptySessions,
    selfReferralsWeek: r.quality.selfReferrals,
    extremeVisitorsDay: { count: r.extremeCount, top: r.extremeTop },
    heavyVisitorsMonth: { count: r.heavy.count, visitors: r.heavy.visitors },
    convertersWeek: { converters: r.converters.converters, sessions: r.converters.sessions },
    flappingDay: { pairs: r.flapping.pairs, visitors: r.flapping.visitors },
    sessionRate: {
      lastHour: r.rate?.lastHour ?? 0,
      baselineSessions: r.rate?.baselineSessions ?? 0,
      baselineFrom: r.rate?.baselineFrom ?? null,
      baselineTo: b.hour,
    },
    eventVolume: { last24h: r.events.last24h, previous24h: r.events.previous24h },
    sharedLogins: {
      users: Number(r.logins.users),
      largest: Number(r.logins.largest),
      overShared: Number(r.logins.overShared),
    },
  };
}

function sqliteRaw(c: SqliteConnection, b: Bounds): RawFacts {
  const window = (from: number): IntegrityFacts['day'] =>
    c
      .statement<[{ account: string; now: number; from: number }], IntegrityFacts['day']>(SQLITE_WINDOW)
      .get({ account: b.account, now: b.now, from }) as IntegrityFacts['day'];
  const extremeArgs = { ...b, limit: EXTREME_SESSIONS_PER_DAY, top: EXTREME_VISITORS_LISTED };
  return {
    day: window(b.day),
    week: window(b.week),
    quality: c.statement<[Bounds], RawFacts['quality']>(SQLITE_QUALITY).get(b) as RawFacts['quality'],
    extremeCount: (
      c
        .statement<[Bounds & { limit: number }], { n: number }>(SQLITE_EXTREME_COUNT)
        .get({ ...b, limit: EXTREME_SESSIONS_PER_DAY }) as { n: number }
    ).n,
    extremeTop: c
      .statement<[typeof extremeArgs], { visitorId: string; sessions: number }>(SQLITE_EXTREME_TOP)
      .all(extremeArgs),
    heavy: c
      .statement<[Bounds & { heavy: number }], RawFacts['heavy']>(SQLITE_HEAVY)
      .get({ ...b, heavy: HEAVY_SESSIONS_PER_MONTH }) as RawFacts['heavy'],
    converters: c.statement<[Bounds], RawFacts['converters']>(SQLITE_CONVERTERS).get(b) as RawFacts['converters'],
    flapping: c
      .statement<[Bounds & { gap: number }], RawFacts['flapping']>(SQLITE_FLAPPING)
      .get({ ...b, gap: FLAPPING_GAP_MS }) as RawFacts['flapping'],
    rate: c.statement<[Bounds], Rate>(SQLITE_RATE).get(b),
    events: c.statement<[Bounds], RawFacts['events']>(SQLITE_EVENTS).get(b) as RawFacts['events'],
    logins: c
      .statement<[{ account: string; shared: number }], RawFacts['logins']>(SQLITE_LOGINS)
      .get({ account: b.account, shared: SHARED_LOGIN_VISITORS }) as RawFacts['logins'],
  };
}

async function pgRaw(client: PgQueryable, b: Bounds): Promise<RawFacts> {
  const all = async <R>(statement: NamedStatement<string>, params: Record<string, unknown>): Promise<R[]> =>
    (await client.query(statement.text, statement.values(params))).rows as R[];
  const one = async <R>(statement: NamedStatement<string>, params: Record<string, unknown>): Promise<R> =>
    (await all<R>(statement, params))[0] as R;
  const window = (from: number): Promise<IntegrityFacts['day']> =>
    one(PG_WINDOW, { account: b.account, now: b.now, from });
  const bounds: Record<string, unknown> = { ...b };
  return {
    day: await window(b.day),
    week: await window(b.week),
    quality: await one(PG_QUALITY, bounds),
    extremeCount: (await one<{ n: number }>(PG_EXTREME_COUNT, { ...b, limit: EXTREME_SESSIONS_PER_DAY })).n,
    extremeTop: await all(PG_EXTREME_TOP, { ...b, limit: EXTREME_SESSIONS_PER_DAY, top: EXTREME_VISITORS_LISTED }),
    heavy: await one(PG_HEAVY, { ...b, heavy: HEAVY_SESSIONS_PER_MONTH }),
    converters: await one(PG_CONVERTERS, bounds),
    flapping: await one(PG_FLAPPING, { ...b, gap: FLAPPING_GAP_MS }),
    rate: await one(PG_RATE, bounds),
    events: await one(PG_EVENTS, bounds),
    logins: await one(PG_LOGINS, { account: b.account, shared: SHARED_LOGIN_VISITORS }),
  };
}

export function integrityFacts(conn: Connection, accountId: string, now: number): Promise<IntegrityFacts> {
  const b: Bounds = {
    account: accountId,
    now,
    hour: now - HOUR,
    day: now - DAY,
    prevDay: now - 2 * DAY,
    week: now - WEEK,
    month: now - 30 * DAY,
    baseFrom: now - HOUR - WEEK,
  };
  return runQuery(conn, 'integrityFacts', {
    // One read transaction: every number comes from the same snapshot.
    sqlite: (c) => c.db.transaction(() => assemble(b, sqliteRaw(c, b))).deferred(),
    // REPEATABLE READ: every statement of the transaction reads the same snapshot.
    postgres: (c) =>
      c.transaction(async (client) => assemble(b, await pgRaw(client, b)), {
        isolation: 'repeatable read',
        readOnly: true,
      }),
  });
}
