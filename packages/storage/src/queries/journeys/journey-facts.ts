// journeyFacts: converterFacts from the materialized journeys: clean persons' sessions through journey_touches, marked persons' built live.
import type { AttributionFacts } from '../../storage.js';
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { dimensionColumns, type AttributionDimension } from '../attribution/attribution-dimension.js';
import { toFactSession, utmColumn, type FactsWindow, type SessionFactRow } from '../attribution/attribution-facts.js';
import { personLinks, personSessions, personWalk, windowConversions } from '../attribution/person-walk-sql.js';
import { converterFacts } from '../attribution/converter-facts.js';

/**
 * converterFacts read through the materialized journeys: the same conversions and sessions; `links`
 * are the live persons' identity links and `pairs` the materialized ones' membership (a converter
 * and a visitor of its person), which @touchline/attribution's buildJourneys unites alike.
 */
export interface JourneyFacts extends AttributionFacts {
  pairs: Array<{ visitorId: string; otherId: string }>;
}

// Live part: the person walk of person-walk-sql.ts (as converterFacts), started at the marked visitors instead of the
// window's converters (as many as the refresher lags behind). The walked set is closed under links,
// so it holds every person a mark can have changed, with all of their sessions and links. Only
// marks that can reach a window conversion start it: a marked visitor with no identify link is a
// person by itself and matters only if it converted in the window (a person whose conversion it is
// then has the mark on the converter, or on a linked visitor, which has a link).
const SQLITE_MARK_STARTS = `SELECT d.visitor_id FROM acct JOIN journey_dirty d ON d.account_key = acct.k
    WHERE EXISTS (SELECT 1 FROM identities i INDEXED BY identities_by_visitor WHERE i.account_key = acct.k AND i.visitor_id = d.visitor_id)
      OR EXISTS (SELECT 1 FROM conversions c INDEXED BY conversions_by_visitor WHERE c.account_key = acct.k AND c.visitor_id = d.visitor_id
        AND c.occurred_at >= @from AND c.occurred_at < @to)`;
const sqliteMarked = (select: string): string => personWalk('sqlite', SQLITE_MARK_STARTS, select);
const SQLITE_CONVERSIONS = windowConversions('sqlite');
const SQLITE_LIVE_VISITORS = sqliteMarked('SELECT visitor_id AS v FROM person');
const sqliteLiveSessions = (dimension: AttributionDimension, campaigns: boolean): string =>
  sqliteMarked(personSessions('sqlite', dimension, campaigns));
const SQLITE_LIVE_LINKS = sqliteMarked(personLinks('sqlite'));
// Materialized part: each window conversion's touches, joined to the sessions for their current
// columns and start (the query's own lookback, and its facts window, filter here as for live reads).
// The utm column only when campaigns or a utm breakdown need it (utmColumn: its JSON doubled a read).
const sqliteTouches = (
  dimension: AttributionDimension,
  campaigns: boolean,
): string => `SELECT c.visitor_id AS converter, s.id, s.visitor_id AS visitorId,
    s.started_at AS startedAt, s.channel, ${utmColumn(dimension, campaigns, 's.')}, ${dimensionColumns('sqlite', dimension, 's.')}
  FROM accounts a CROSS JOIN conversions c INDEXED BY conversions_by_time ON c.account_key = a.key AND c.occurred_at >= @from AND c.occurred_at < @to
    CROSS JOIN journey_touches t ON t.account_key = a.key AND t.conversion_id = c.id
    CROSS JOIN sessions s ON s.account_key = a.key AND s.visitor_id = t.visitor_id AND s.id = t.session_id
  WHERE a.id = @account AND s.started_at >= @start AND s.started_at <= @to`;

const PG_MARK_STARTS = `SELECT d.visitor_id FROM acct JOIN journey_dirty d ON d.account_key = acct.k
    WHERE EXISTS (SELECT 1 FROM identities i WHERE i.account_key = acct.k AND i.visitor_id = d.visitor_id)
      OR EXISTS (SELECT 1 FROM conversions c WHERE c.account_key = acct.k AND c.visitor_id = d.visitor_id AND c.occurred_at >= $2 AND c.occurred_at < $3)`;
const pgMarked = (select: string): string => personWalk('postgres', PG_MARK_STARTS, select);
const PG_CONVERSIONS = windowConversions('postgres');
const PG_LIVE_VISITORS = pgMarked('SELECT visitor_id AS v FROM person');
const pgLiveSessions = (dimension: AttributionDimension, campaigns: boolean): string =>
  pgMarked(personSessions('postgres', dimension, campaigns));
const PG_LIVE_LINKS = pgMarked(personLinks('postgres'));
const pgTouches = (
  dimension: AttributionDimension,
  campaigns: boolean,
): string => `SELECT c.visitor_id AS converter, s.id, s.visitor_id AS "visitorId",
    s.started_at AS "startedAt", s.channel, ${utmColumn(dimension, campaigns, 's.')}, ${dimensionColumns('postgres', dimension, 's.')}
  FROM accounts a JOIN conversions c ON c.account_key = a.key AND c.occurred_at >= $2 AND c.occurred_at < $3
    JOIN journey_touches t ON t.account_key = a.key AND t.conversion_id = c.id
    JOIN sessions s ON s.account_key = a.key AND s.visitor_id = t.visitor_id AND s.id = t.session_id
  WHERE a.id = $1 AND s.started_at >= $4 AND s.started_at <= $3`;

type Conversion = JourneyFacts['conversions'][number];
type Link = JourneyFacts['links'][number];
type TouchRow = SessionFactRow & { converter: string };
interface Parts {
  conversions: Conversion[];
  live: string[];
  liveSessions: SessionFactRow[];
  links: Link[];
  touches: TouchRow[];
}

/**
 * Live and materialized parts joined: touches of converters outside the live set only (a marked
 * person's touches may be stale), each session once, and each touch as a pair (converter, visitor)
 * that buildJourneys unites like a link. Newest first under the cap, as converterFacts.
 */
function joined(p: Parts, dimension: AttributionDimension, maxSessions: number): JourneyFacts {
  const live = new Set(p.live);
  const sessions = new Map<string, SessionFactRow>();
  for (const s of p.liveSessions) sessions.set(`${s.visitorId}\u0000${s.id}`, s);
  const pairs = new Map<string, { visitorId: string; otherId: string }>();
  for (const { converter, ...s } of p.touches) {
    if (live.has(converter)) continue;
    sessions.set(`${s.visitorId}\u0000${s.id}`, s);
    if (s.visitorId !== converter)
      pairs.set(`${converter}\u0000${s.visitorId}`, { visitorId: converter, otherId: s.visitorId });
  }
  const all = [...sessions.values()].sort((a, b) => b.startedAt - a.startedAt).map(toFactSession(dimension));
  const truncated = all.length > maxSessions;
  return {
    conversions: p.conversions,
    sessions: truncated ? all.slice(0, maxSessions) : all,
    links: p.links,
    pairs: [...pairs.values()],
    truncated,
  };
}

/**
 * Marks that start the live walk past which the read walks from the window's converters instead
 * (converterFacts, exact by itself): right after the migration's backfill, or when the refresher
 * is far behind, the walk from every marked person cost more than that (measured on the demo data
 * with every visitor marked: 0.8-1.1 s against 0.1 s).
 */
export const LIVE_MARKS_LIMIT = 1000;

const liveMarksSql = (
  starts: string,
  account: string,
): string => `WITH acct(k) AS (SELECT key FROM accounts WHERE id = ${account})
  SELECT COUNT(*) AS n FROM (${starts} LIMIT ${LIVE_MARKS_LIMIT + 1}) AS m`;
const SQLITE_LIVE_MARKS = liveMarksSql(SQLITE_MARK_STARTS, '@account');
const PG_LIVE_MARKS = liveMarksSql(PG_MARK_STARTS, '$1');

/** How many marks would start the live walk (up to LIVE_MARKS_LIMIT + 1). */
function liveMarks(conn: Connection, accountId: string, w: FactsWindow): Promise<number> {
  return runQuery(conn, 'journeyFacts', {
    sqlite: (c) =>
      c
        .statement<[Record<string, unknown>], { n: number }>(SQLITE_LIVE_MARKS)
        .get({ account: accountId, from: w.from, to: w.to })?.n ?? 0,
    postgres: async (c) => Number((await c.rows<{ n: number }>(PG_LIVE_MARKS, [accountId, w.from, w.to]))[0]?.n ?? 0),
  });
}

/** The same journeys as converterFacts, whatever the refresher's progress (docs/read-model.md). */
export async function journeyFacts(conn: Connection, accountId: string, w: FactsWindow): Promise<JourneyFacts> {
  if ((await liveMarks(conn, accountId, w)) > LIVE_MARKS_LIMIT)
    return { ...(await converterFacts(conn, accountId, w)), pairs: [] };
  return readThroughTouches(conn, accountId, w);
}

function readThroughTouches(conn: Connection, accountId: string, w: FactsWindow): Promise<JourneyFacts> {
  const dimension = w.dimension ?? 'channel';
  const campaigns = w.campaigns ?? true;
  const start = w.from - w.lookbackMs;
  return runQuery(conn, 'journeyFacts', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const args = { account: accountId, from: w.from, to: w.to, start };
          const all = <T>(sql: string): T[] => c.statement<[Record<string, unknown>], T>(sql).all(args);
          return joined(
            {
              conversions: all<Conversion>(SQLITE_CONVERSIONS),
              live: all<{ v: string }>(SQLITE_LIVE_VISITORS).map((r) => r.v),
              liveSessions: all<SessionFactRow>(sqliteLiveSessions(dimension, campaigns)),
              links: all<Link>(SQLITE_LIVE_LINKS),
              touches: all<TouchRow>(sqliteTouches(dimension, campaigns)),
            },
            dimension,
            w.maxSessions,
          );
        })
        .deferred(),
    postgres: (c) =>
      c.transaction(
        async (client) => {
          // The walk's estimate (rows of every mark, times links) is large even when no mark is left,
          // and past jit_above_cost PostgreSQL compiled each of the three walks (measured: 0.9 s of JIT
          // for a 10 ms query on the demo data). Index lookups gain nothing from it.
          await client.query('SET LOCAL jit = off');
          const rows = async <T>(sql: string, params: unknown[]): Promise<T[]> =>
            (await client.query<T & Record<string, unknown>>(sql, params)).rows;
          return joined(
            {
              conversions: await rows<Conversion>(PG_CONVERSIONS, [accountId, w.from, w.to]),
              live: (await rows<{ v: string }>(PG_LIVE_VISITORS, [accountId, w.from, w.to])).map((r) => r.v),
              liveSessions: await rows<SessionFactRow>(pgLiveSessions(dimension, campaigns), [
                accountId,
                w.from,
                w.to,
                start,
              ]),
              links: await rows<Link>(PG_LIVE_LINKS, [accountId, w.from, w.to]),
              touches: await rows<TouchRow>(pgTouches(dimension, campaigns), [accountId, w.from, w.to, start]),
            },
            dimension,
            w.maxSessions,
          );
        },
        { isolation: 'repeatable read', readOnly: true },
      ),
  });
}
