// Markov's facts with person paths: only the converters' persons and the persons changed since the refresher's last step are read as sessions; every other path, of one visitor or several, is counted from the read model.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { AttributionFacts, Dialect, SessionFact } from '../../storage.js';
import { LIVE_MARKS_LIMIT } from '../journeys/journey-facts.js';
import type { FactsWindow } from './attribution-facts.js';
import type { MarkovFacts } from './markov-facts.js';
import { pathsOf, pgPathStepCounts, sqlitePathStepCounts } from './path-step-counts.js';
import { personWalk, WALK_PARAMS, windowConversions, windowConverters } from './person-walk-sql.js';

// markovFacts reads as sessions every visitor of a person with several visitors, since path_steps
// counts each visitor's own path; at 10M events that was most of its time (docs/read-model.md,
// "Person paths"). The journey refresher now keeps, per person of several visitors, the rows that
// turn its visitors' own paths into its merged one (person-paths.ts). A person's rows are current
// unless one of its visitors holds a mark: the sessions read here are the persons walked from the
// window's converters (their journeys, and their paths leave the non-converting counts) and from
// every marked visitor with an identity link (held persons among them). The walked set is closed
// under links, so it groups into the same persons as all of the account's links. Past
// LIVE_MARKS_LIMIT such marks (right after the migration, or the refresher far behind) the walk
// would cost more than the old read: the caller reads as before.
const marked = (dialect: Dialect): string =>
  `SELECT d.visitor_id FROM acct JOIN journey_dirty d ON d.account_key = acct.k
    WHERE EXISTS (SELECT 1 FROM identities i${dialect === 'sqlite' ? ' INDEXED BY identities_by_visitor' : ''}
      WHERE i.account_key = acct.k AND i.visitor_id = d.visitor_id)`;
const starts = (dialect: Dialect): string => `${windowConverters(dialect)} UNION ${marked(dialect)}`;
const marksSql = (dialect: Dialect): string => `WITH acct(k) AS (SELECT key FROM accounts WHERE id = ${
  WALK_PARAMS[dialect].account
})
  SELECT COUNT(*) AS n FROM (${marked(dialect)} LIMIT ${LIVE_MARKS_LIMIT + 1}) AS m`;
// The walk runs once (its visitors); their sessions and links are then key lookups by that list.
// Markov reads channels only (no campaign, landing or click-id column). SQLite: INDEXED BY the
// index by (account, visitor, started_at) that also holds channel and id (sqlite 028): the lookup
// never reads the wide session row. The rows come out as SessionFacts (no campaign, no group), so
// none is copied: ~30k per read at 10M events.
const visitorsSql = (dialect: Dialect): string =>
  personWalk(dialect, starts(dialect), 'SELECT visitor_id AS v FROM person');
const SESSION_COLUMNS = `s.id, s.visitor_id AS "visitorId", s.started_at AS "startedAt", s.channel,
    NULL AS campaign, NULL AS "group"`;
const SQLITE_SESSIONS = `SELECT ${SESSION_COLUMNS}
  FROM json_each(@visitors) AS p CROSS JOIN sessions s INDEXED BY sessions_by_visitor_start
    ON s.account_key = (SELECT key FROM accounts WHERE id = @account) AND s.visitor_id = p.value
  WHERE s.started_at >= @start AND s.started_at <= @to
  ORDER BY s.started_at DESC LIMIT @limit`;
const SQLITE_LINKS = `SELECT i.user_id AS "userId", i.visitor_id AS "visitorId"
  FROM json_each(@visitors) AS p CROSS JOIN identities i INDEXED BY identities_by_visitor
    ON i.account_key = (SELECT key FROM accounts WHERE id = @account) AND i.visitor_id = p.value`;
const PG_SESSIONS = `SELECT ${SESSION_COLUMNS}
  FROM unnest($2::text[]) AS p (v)
    CROSS JOIN LATERAL (SELECT * FROM sessions s WHERE s.account_key = (SELECT key FROM accounts WHERE id = $1)
      AND s.visitor_id = p.v AND s.started_at >= $3 AND s.started_at <= $4 OFFSET 0) s
  ORDER BY s.started_at DESC LIMIT $5`;
const PG_LINKS = `SELECT i.user_id AS "userId", i.visitor_id AS "visitorId"
  FROM unnest($2::text[]) AS p (v)
    CROSS JOIN LATERAL (SELECT * FROM identities i WHERE i.account_key = (SELECT key FROM accounts WHERE id = $1)
      AND i.visitor_id = p.v OFFSET 0) i`;

const SQLITE = {
  marks: marksSql('sqlite'),
  conversions: windowConversions('sqlite'),
  visitors: visitorsSql('sqlite'),
  sessions: SQLITE_SESSIONS,
  links: SQLITE_LINKS,
};
const PG = {
  marks: marksSql('postgres'),
  conversions: windowConversions('postgres'),
  visitors: visitorsSql('postgres'),
  sessions: PG_SESSIONS,
  links: PG_LINKS,
};

type Conversion = AttributionFacts['conversions'][number];
type Link = AttributionFacts['links'][number];

interface Read {
  conversions: Conversion[];
  visitors: string[];
  sessions: SessionFact[];
  links: Link[];
}

/** The facts, or null when the caller must read as before (too many marks, truncated, or a count disagreeing with the sessions). */
function facts(
  r: Read,
  w: FactsWindow,
  count: (excluded: Map<string, SessionFact[]>, sent: string[]) => MarkovFacts['steps'] | null,
): MarkovFacts | null {
  if (r.sessions.length > w.maxSessions) return null;
  const steps = count(pathsOf(r.sessions), r.visitors);
  if (steps === null) return null;
  return {
    conversions: r.conversions,
    sessions: r.sessions,
    links: r.links,
    steps,
    stepSource: 'read-model',
    truncated: false,
  };
}

/** markovFacts for the channel breakdown from person paths; null when it must read as before. */
export function personMarkovFacts(conn: Connection, accountId: string, w: FactsWindow): Promise<MarkovFacts | null> {
  const start = w.from - w.lookbackMs;
  const window = { start, to: w.to };
  return runQuery(conn, 'markovFacts', {
    sqlite: (c) =>
      c.db
        .transaction((): MarkovFacts | null => {
          const args = { account: accountId, from: w.from, to: w.to, start, limit: w.maxSessions + 1 };
          const all = <T>(sql: string): T[] => c.statement<[Record<string, unknown>], T>(sql).all(args);
          const marks = c.statement<[Record<string, unknown>], { n: number }>(SQLITE.marks).get(args)?.n ?? 0;
          if (marks > LIVE_MARKS_LIMIT) return null;
          const visitors = all<{ v: string }>(SQLITE.visitors).map((x) => x.v);
          const byList = <T>(sql: string): T[] =>
            c.statement<[Record<string, unknown>], T>(sql).all({ ...args, visitors: JSON.stringify(visitors) });
          const read: Read = {
            conversions: all<Conversion>(SQLITE.conversions),
            visitors,
            sessions: byList<SessionFact>(SQLITE.sessions),
            links: byList<Link>(SQLITE.links),
          };
          return facts(read, w, (excluded, sent) => sqlitePathStepCounts(c, accountId, window, excluded, sent));
        })
        .deferred(),
    postgres: (c) =>
      c.transaction(
        async (client) => {
          await client.query('SET LOCAL jit = off'); // short index lookups (journey-facts.ts)
          const rows = async <T>(sql: string, params: unknown[]): Promise<T[]> =>
            (await client.query<T & Record<string, unknown>>(sql, params)).rows;
          const marks = Number((await rows<{ n: string }>(PG.marks, [accountId]))[0]?.n ?? 0);
          if (marks > LIVE_MARKS_LIMIT) return null;
          const walk = [accountId, w.from, w.to];
          const visitors = (await rows<{ v: string }>(PG.visitors, walk)).map((x) => x.v);
          const read: Read = {
            conversions: await rows<Conversion>(PG.conversions, walk),
            visitors,
            sessions: await rows<SessionFact>(PG.sessions, [accountId, visitors, start, w.to, w.maxSessions + 1]),
            links: await rows<Link>(PG.links, [accountId, visitors]),
          };
          const counted = await pgPathStepCounts(client, accountId, window, pathsOf(read.sessions), read.visitors);
          return facts(read, w, () => counted);
        },
        { isolation: 'repeatable read', readOnly: true },
      ),
  });
}
