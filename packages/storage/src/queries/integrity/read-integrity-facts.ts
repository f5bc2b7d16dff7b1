// integrityFacts: the raw counts the integrity checks (DESIGN.md L6) are computed from, for one account at one instant.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import { named, type NamedStatement } from '../../dialects/postgres-named-params.js';
import type { IntegrityFacts } from '../../storage.js';
import { ACCOUNT_KEY_OF_NAMED } from '../accounts/account-key.js';

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

// PostgreSQL: the same statements with quoted camelCase aliases (unquoted ones fold to lower
// case), ILIKE for SQLite's case-insensitive LIKE, FILTER for SQLite's SUM(boolean), and a name
// on every derived table. Parameters stay named (@x) and are compiled to $n once.
const PG_WINDOW = named<'account' | 'now' | 'from'>(`SELECT COUNT(*) AS sessions, COUNT(DISTINCT s.visitor_id) AS visitors,
    COUNT(v.id) AS "newVisitorSessions", COUNT(DISTINCT v.id) AS "newVisitors"
  FROM sessions AS s
  LEFT JOIN visitors AS v ON v.account_key = s.account_key AND v.id = s.visitor_id AND v.first_seen_at >= @from
  WHERE ${STARTED_IN('@from', 's.')}`);
const PG_QUALITY = named<keyof Bounds>(SQLITE_QUALITY.replaceAll(' LIKE ', ' ILIKE ')
  .replace('AS emptySessions', 'AS "emptySessions"').replace('AS selfReferrals', 'AS "selfReferrals"'));
const PG_EXTREME = `SELECT visitor_id AS "visitorId", COUNT(*) AS sessions FROM sessions WHERE ${STARTED_IN('@day')}
  GROUP BY visitor_id HAVING COUNT(*) > @limit`;
const PG_EXTREME_COUNT = named<keyof Bounds | 'limit'>(`SELECT COUNT(*) AS n FROM (${PG_EXTREME}) AS extreme`);
const PG_EXTREME_TOP = named<keyof Bounds | 'limit' | 'top'>(`${PG_EXTREME} ORDER BY sessions DESC, "visitorId" LIMIT @top`);
const PG_HEAVY = named<keyof Bounds | 'heavy'>(`SELECT COUNT(*) AS visitors, COUNT(*) FILTER (WHERE n > @heavy) AS count FROM (
    SELECT COUNT(*) AS n FROM sessions WHERE ${STARTED_IN('@month')} GROUP BY visitor_id) AS per_visitor`);
const PG_CONVERTERS = named<keyof Bounds>(SQLITE_CONVERTERS);
const PG_FLAPPING = named<keyof Bounds | 'gap'>(`SELECT COUNT(*) AS pairs, COUNT(DISTINCT visitor_id) AS visitors FROM (
    SELECT visitor_id, started_at - LAG(started_at) OVER (PARTITION BY visitor_id ORDER BY started_at) AS gap
    FROM sessions WHERE ${STARTED_IN('@day')}) AS gaps
  WHERE gap IS NOT NULL AND gap < @gap`);
const PG_RATE = named<keyof Bounds>(SQLITE_RATE.replace('AS lastHour', 'AS "lastHour"')
  .replace('AS baselineSessions', 'AS "baselineSessions"').replace('AS baselineFrom', 'AS "baselineFrom"'));
const PG_EVENTS = named<keyof Bounds>(SQLITE_EVENTS.replace('AS last24h', 'AS "last24h"').replace('AS previous24h', 'AS "previous24h"'));

interface Bounds { account: string; now: number; hour: number; day: number; prevDay: number; week: number; month: number; baseFrom: number }
type Counts<K extends string> = Record<K, number>;

type Rate = { lastHour: number; baselineSessions: number; baselineFrom: number | null };

async function pgRaw(client: PgQueryable, b: Bounds): Promise<Omit<IntegrityFacts, 'sessionRate'> & { rate: Rate }> {
  const one = async <R>(statement: NamedStatement<string>, params: Record<string, unknown>): Promise<R> =>
    (await client.query(statement.text, statement.values(params))).rows[0] as R;
  const window = (from: number): Promise<IntegrityFacts['day']> => one(PG_WINDOW, { account: b.account, now: b.now, from });
  const bounds: Record<string, unknown> = { ...b };
  const quality = await one<Counts<'emptySessions' | 'selfReferrals'>>(PG_QUALITY, bounds);
  const extremeCount = (await one<{ n: number }>(PG_EXTREME_COUNT, { ...b, limit: EXTREME_SESSIONS_PER_DAY })).n;
  const extremeTop = (await client.query<{ visitorId: string; sessions: number }>(PG_EXTREME_TOP.text,
    PG_EXTREME_TOP.values({ ...b, limit: EXTREME_SESSIONS_PER_DAY, top: EXTREME_VISITORS_LISTED }))).rows;
  const heavy = await one<Counts<'count' | 'visitors'>>(PG_HEAVY, { ...b, heavy: HEAVY_SESSIONS_PER_MONTH });
  const converters = await one<Counts<'converters' | 'sessions'>>(PG_CONVERTERS, bounds);
  const flapping = await one<Counts<'pairs' | 'visitors'>>(PG_FLAPPING, { ...b, gap: FLAPPING_GAP_MS });
  return {
    now: b.now,
    day: await window(b.day),
    week: await window(b.week),
    emptySessionsDay: quality.emptySessions,
    selfReferralsWeek: quality.selfReferrals,
    extremeVisitorsDay: { count: extremeCount, top: extremeTop },
    heavyVisitorsMonth: { count: heavy.count, visitors: heavy.visitors },
    convertersWeek: { converters: converters.converters, sessions: converters.sessions },
    flappingDay: { pairs: flapping.pairs, visitors: flapping.visitors },
    rate: await one(PG_RATE, bounds),
    eventVolume: await one(PG_EVENTS, bounds),
  };
}

export function readIntegrityFacts(conn: Connection, accountId: string, now: number): Promise<IntegrityFacts> {
  const b: Bounds = {
    account: accountId, now, hour: now - HOUR, day: now - DAY, prevDay: now - 2 * DAY, week: now - WEEK, month: now - 30 * DAY, baseFrom: now - HOUR - WEEK,
  };
  return runQuery(conn, 'integrityFacts', {
    // One read transaction: every number comes from the same snapshot.
    sqlite: (c) => c.db.transaction((): IntegrityFacts => {
      const window = (from: number): IntegrityFacts['day'] => c.statement<[{ account: string; now: number; from: number }], IntegrityFacts['day']>(SQLITE_WINDOW)
        .get({ account: accountId, now, from }) as IntegrityFacts['day'];
      const quality = c.statement<[Bounds], Counts<'emptySessions' | 'selfReferrals'>>(SQLITE_QUALITY).get(b) as Counts<'emptySessions' | 'selfReferrals'>;
      const extremeArgs = { ...b, limit: EXTREME_SESSIONS_PER_DAY, top: EXTREME_VISITORS_LISTED };
      const extremeCount = (c.statement<[Bounds & { limit: number }], { n: number }>(SQLITE_EXTREME_COUNT)
        .get({ ...b, limit: EXTREME_SESSIONS_PER_DAY }) as { n: number }).n;
      const extremeTop = c.statement<[typeof extremeArgs], { visitorId: string; sessions: number }>(SQLITE_EXTREME_TOP).all(extremeArgs);
      const heavy = c.statement<[Bounds & { heavy: number }], Counts<'count' | 'visitors'>>(SQLITE_HEAVY)
        .get({ ...b, heavy: HEAVY_SESSIONS_PER_MONTH }) as Counts<'count' | 'visitors'>;
      const converters = c.statement<[Bounds], Counts<'converters' | 'sessions'>>(SQLITE_CONVERTERS).get(b) as Counts<'converters' | 'sessions'>;
      const flapping = c.statement<[Bounds & { gap: number }], Counts<'pairs' | 'visitors'>>(SQLITE_FLAPPING).get({ ...b, gap: FLAPPING_GAP_MS }) as Counts<'pairs' | 'visitors'>;
      const rate = c.statement<[Bounds], { lastHour: number; baselineSessions: number; baselineFrom: number | null }>(SQLITE_RATE).get(b);
      const events = c.statement<[Bounds], Counts<'last24h' | 'previous24h'>>(SQLITE_EVENTS).get(b) as Counts<'last24h' | 'previous24h'>;
      return {
        now,
        day: window(b.day),
        week: window(b.week),
        emptySessionsDay: quality.emptySessions,
        selfReferralsWeek: quality.selfReferrals,
        extremeVisitorsDay: { count: extremeCount, top: extremeTop },
        heavyVisitorsMonth: { count: heavy.count, visitors: heavy.visitors },
        convertersWeek: { converters: converters.converters, sessions: converters.sessions },
        flappingDay: { pairs: flapping.pairs, visitors: flapping.visitors },
        sessionRate: {
          lastHour: rate?.lastHour ?? 0, baselineSessions: rate?.baselineSessions ?? 0,
          baselineFrom: rate?.baselineFrom ?? null, baselineTo: b.hour,
        },
        eventVolume: { last24h: events.last24h, previous24h: events.previous24h },
      };
    }).deferred(),
    // REPEATABLE READ: every statement of the transaction reads the same snapshot.
    postgres: (c) => c.transaction(async (client): Promise<IntegrityFacts> => {
      const { rate, ...facts } = await pgRaw(client, b);
      return { ...facts, sessionRate: { lastHour: rate.lastHour, baselineSessions: rate.baselineSessions, baselineFrom: rate.baselineFrom, baselineTo: b.hour } };
    }, { isolation: 'repeatable read', readOnly: true }),
  });
}
