// markovFacts: attributionFacts for Markov without reading every session: converters and people with several visitors come as sessions, every other visitor's path as counted steps.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { AttributionFacts, SessionFact } from '../../storage.js';
import { ACCOUNT_KEY_OF_NAMED, pgAccountKeyOf } from '../accounts/account-key.js';
import { storedJsonObject } from '../stored-json-object.js';
import {
  dimensionColumns,
  dimensionValue,
  type AttributionDimension,
  type DimensionRow,
} from './attribution-dimension.js';
import { toFactSession, utmColumn, type FactsWindow, type SessionFactRow } from './attribution-facts.js';
import { personMarkovFacts } from './markov-person-facts.js';
import { pathsOf, pgPathStepCounts, sqlitePathStepCounts } from './path-step-counts.js';

/**
 * `count` non-converting paths stepped from a session like `from` to one like `to` (null: the
 * path's start, or its end). @touchline/attribution's SessionStep.
 */
export interface PathStepFact {
  from: Pick<SessionFact, 'channel' | 'group'> | null;
  to: Pick<SessionFact, 'channel' | 'group'> | null;
  count: number;
}

/** Markov's facts: `sessions` of the visitors who converted and of every person with several visitors, every other visitor's path counted in `steps`. */
export interface MarkovFacts extends AttributionFacts {
  steps: PathStepFact[];
  /**
   * Where `steps` came from: the path-step read model (path-step-counts.ts; channel breakdown, not
   * truncated), or the raw sessions of the window (other breakdowns, or when the read model and
   * the sessions disagreed). Both give the same steps.
   */
  stepSource: 'read-model' | 'raw';
}

// Markov reads the path of every person in the window, converting or not. A person is a visitor
// plus every visitor linked to it by identify, and whether it converted is known only after
// grouping; but a visitor that shares no user with another visitor is a person by itself, and it
// converted iff it has a conversion in the range. Those visitors (most of them) never need to leave the
// database: their sessions, ordered as buildJourneys orders them (start, then id in code-unit
// order; "C" on PostgreSQL), become steps (previous session's key -> this one's, with the path's
// start and end), counted by GROUP BY over the raw columns a touchpoint key is computed from (the
// breakdown's JSON is parsed in code, as for sessions: one malformed value must not fail the query).
// SQLite's conversions subquery names the account by id, not through acct: a reference to acct
// made it a correlated subquery, run again for every session (a conversions scan each).
// Everyone else, the converting visitors and every visitor of a person with several visitors, comes
// as sessions with all of the account's links, exactly as attributionFacts gives them: that set is
// closed under links (a converter is a person by itself or one of several visitors, all of whom are
// in it), so their people and journeys are the same. Until 2026-12-07 every visitor with any
// identity row came as sessions, also the many who signed in on one device only.
// Only the columns the breakdown's key needs are carried through the window and the GROUP BY: for
// the default (channel) that is the channel alone, which made the count 1.6x faster than carrying
// every raw column as NULL (measured on the read-api file).
function stepColumns(
  dialect: 'sqlite' | 'postgres',
  dimension: AttributionDimension,
): { select: string; names: string[] } {
  if (dimension === 'channel') return { select: 's.channel', names: ['channel'] };
  if (dimension === 'landing_page' || dimension === 'click_platform') {
    return {
      select: `s.channel, ${dimensionColumns(dialect, dimension, 's.')}`,
      names: ['channel', 'click_ids', 'landing_path'],
    };
  }
  return { select: 's.channel, s.utm', names: ['channel', 'utm'] };
}

const stepsOf = (
  dialect: 'sqlite' | 'postgres',
  dimension: AttributionDimension,
  where: string,
  idOrder: string,
): string => {
  const { select, names } = stepColumns(dialect, dimension);
  const grouped = ['is_first', 'is_last', ...names.map((n) => `p_${n}`), ...names].join(', ');
  return `, s AS (SELECT s.visitor_id, s.started_at, s.id, ${select} ${where}),
  t AS (SELECT ${names.join(', ')}, ${names.map((n) => `LAG(${n}) OVER w AS p_${n}`).join(', ')},
      ROW_NUMBER() OVER w = 1 AS is_first, LEAD(id) OVER w IS NULL AS is_last
    FROM s WINDOW w AS (PARTITION BY visitor_id ORDER BY started_at, ${idOrder}))
  SELECT ${grouped}, COUNT(*) AS count FROM t GROUP BY ${grouped}`;
};

// A person with more than one visitor is a user named by identify for two visitors or more (a
// visitor of such a person shares a user with another visitor: the link that joins it to the rest).
// Only their paths differ from their visitors' own paths; a visitor whose identify calls name users
// no other visitor has is a person by itself, and its path is counted like any other visitor's.
// Users are grouped over the identities key (account, user, visitor): one row per visitor of a user.
const sharedUsers = (account: string): string =>
  `SELECT u.user_id FROM identities u WHERE u.account_key = ${account} GROUP BY u.user_id HAVING COUNT(*) > 1`;
const SQLITE_SHARED_USERS = sharedUsers(ACCOUNT_KEY_OF_NAMED);
const PG_SHARED_USERS = sharedUsers(pgAccountKeyOf(1));

const SQLITE_ACCOUNT = 'WITH acct(k) AS (SELECT key FROM accounts WHERE id = @account)';
const SQLITE_CONVERSIONS = `SELECT c.id, c.visitor_id AS visitorId, c.session_id AS sessionId, c.occurred_at AS timestamp, c.revenue
  FROM accounts a JOIN conversions c ON c.account_key = a.key
  WHERE a.id = @account AND c.occurred_at >= @from AND c.occurred_at < @to ORDER BY c.occurred_at, c.id`;
const SQLITE_LINKS = `SELECT i.user_id AS userId, i.visitor_id AS visitorId FROM accounts a JOIN identities i ON i.account_key = a.key WHERE a.id = @account`;
const sqliteSessions = (dimension: AttributionDimension, campaigns: boolean): string => `${SQLITE_ACCOUNT},
  person(visitor_id) AS (
    SELECT i.visitor_id FROM acct CROSS JOIN identities i WHERE i.account_key = acct.k AND i.user_id IN (${SQLITE_SHARED_USERS})
    UNION
    SELECT c.visitor_id FROM acct CROSS JOIN conversions c WHERE c.account_key = acct.k AND c.occurred_at >= @from AND c.occurred_at < @to
  )
  SELECT s.id, s.visitor_id AS visitorId, s.started_at AS startedAt, s.channel, ${utmColumn(dimension, campaigns, 's.')}, ${dimensionColumns('sqlite', dimension, 's.')}
  FROM person p CROSS JOIN acct CROSS JOIN sessions s ON s.account_key = acct.k AND s.visitor_id = p.visitor_id
  WHERE s.started_at >= @start AND s.started_at <= @to
  ORDER BY s.started_at DESC LIMIT @limit`;
// Both exclusions are uncorrelated NOT IN (one set built per query: SQLite's ephemeral index,
// PostgreSQL's hashed subplan). As correlated NOT EXISTS, SQLite probed identities once per session
// (1.2-1.7x slower) and PostgreSQL planned the conversions anti join as a nested loop over the
// range's conversions for every session (15 s on the read-api file; measured). The account is named
// by id inside them, not through acct: a reference to acct makes them correlated, run per session.
const sqliteSteps = (dimension: AttributionDimension): string =>
  SQLITE_ACCOUNT +
  stepsOf(
    'sqlite',
    dimension,
    `
    FROM acct CROSS JOIN sessions s
    WHERE s.account_key = acct.k AND s.started_at >= @start AND s.started_at <= @to
      AND s.visitor_id NOT IN (SELECT i.visitor_id FROM identities i WHERE i.account_key = ${ACCOUNT_KEY_OF_NAMED}
        AND i.user_id IN (${SQLITE_SHARED_USERS}))
      AND s.visitor_id NOT IN (SELECT c.visitor_id FROM conversions c
        WHERE c.account_key = ${ACCOUNT_KEY_OF_NAMED} AND c.occurred_at >= @from AND c.occurred_at < @to AND c.visitor_id IS NOT NULL)`,
    'id',
  );

const PG_ACCOUNT = 'WITH acct(k) AS (SELECT key FROM accounts WHERE id = $1)';
const PG_CONVERSIONS = `SELECT c.id, c.visitor_id AS "visitorId", c.session_id AS "sessionId", c.occurred_at AS timestamp, c.revenue
  FROM accounts a JOIN conversions c ON c.account_key = a.key
  WHERE a.id = $1 AND c.occurred_at >= $2 AND c.occurred_at < $3 ORDER BY c.occurred_at, c.id`;
const PG_LINKS = `SELECT i.user_id AS "userId", i.visitor_id AS "visitorId" FROM accounts a JOIN identities i ON i.account_key = a.key WHERE a.id = $1`;
// Per visitor, fenced by OFFSET 0 as in converterFacts, so the planner keeps the key lookups.
// Neither part bounds last_seen_at (as converterFacts; started_at >= start implies it): on SQLite
// that bound made the planner range-scan sessions_by_activity once per visitor (161 s on the
// read-api file) instead of the sessions key.
const pgSessions = (dimension: AttributionDimension, campaigns: boolean): string => `${PG_ACCOUNT},
  person(visitor_id) AS (
    SELECT i.visitor_id FROM acct JOIN identities i ON i.account_key = acct.k AND i.user_id IN (${PG_SHARED_USERS})
    UNION
    SELECT c.visitor_id FROM acct JOIN conversions c ON c.account_key = acct.k AND c.occurred_at >= $2 AND c.occurred_at < $3
  )
  SELECT s.id, s.visitor_id AS "visitorId", s.started_at AS "startedAt", s.channel, ${utmColumn(dimension, campaigns, 's.')}, ${dimensionColumns('postgres', dimension, 's.')}
  FROM person p CROSS JOIN acct
    CROSS JOIN LATERAL (SELECT * FROM sessions s WHERE s.account_key = acct.k AND s.visitor_id = p.visitor_id
      AND s.started_at >= $4 AND s.started_at <= $3 OFFSET 0) s
  ORDER BY s.started_at DESC LIMIT $5`;
const pgSteps = (dimension: AttributionDimension): string =>
  PG_ACCOUNT +
  stepsOf(
    'postgres',
    dimension,
    `
    FROM acct JOIN sessions s ON s.account_key = acct.k
    WHERE s.started_at >= $4 AND s.started_at <= $3
      AND s.visitor_id NOT IN (SELECT i.visitor_id FROM identities i WHERE i.account_key = ${pgAccountKeyOf(1)}
        AND i.user_id IN (${PG_SHARED_USERS}))
      AND s.visitor_id NOT IN (SELECT c.visitor_id FROM conversions c
        WHERE c.account_key = ${pgAccountKeyOf(1)} AND c.occurred_at >= $2 AND c.occurred_at < $3 AND c.visitor_id IS NOT NULL)`,
    'id COLLATE "C"',
  );

/** work_mem for the steps query on PostgreSQL (see the read below). */
const STEPS_WORK_MEM = '64MB';

type Conversion = AttributionFacts['conversions'][number];
type Link = AttributionFacts['links'][number];
/** A grouped row; the raw columns the breakdown does not need are absent. */
interface StepRow extends Partial<DimensionRow> {
  is_first: unknown;
  is_last: unknown;
  count: unknown;
  channel: string | null;
  p_channel: string | null;
  p_utm?: unknown;
  p_click_ids?: unknown;
  p_landing_path?: string | null;
}

/** A grouped row as one or two steps: (previous or start) -> this session, and this session -> end when it is the path's last. */
function toSteps(dimension: AttributionDimension): (row: StepRow) => PathStepFact[] {
  const touch = (
    channel: string | null,
    utm: unknown,
    clickIds: unknown,
    landingPath: string | null | undefined,
  ): { channel: string | null; group: string | null } => ({
    channel,
    group: dimensionValue(dimension, {
      utm: storedJsonObject(utm),
      click_ids: clickIds,
      landing_path: landingPath ?? null,
    }),
  });
  return (row) => {
    const count = Number(row.count);
    const to = touch(row.channel, row.utm, row.click_ids, row.landing_path);
    const from =
      row.is_first === true || row.is_first === 1
        ? null
        : touch(row.p_channel, row.p_utm, row.p_click_ids, row.p_landing_path);
    const steps: PathStepFact[] = [{ from, to, count }];
    if (row.is_last === true || row.is_last === 1) steps.push({ from: to, to: null, count });
    return steps;
  };
}

/**
 * Equal journeys to attributionFacts (unless truncated), and the same Markov chain from `sessions`
 * plus `steps`. For channels without campaigns (what Markov and the model comparison read) the
 * person-path read first (markov-person-facts.ts); it declines when many marks are pending.
 */
export async function markovFacts(conn: Connection, accountId: string, w: FactsWindow): Promise<MarkovFacts> {
  const dimension = w.dimension ?? 'channel';
  const campaigns = w.campaigns ?? true;
  if (dimension === 'channel' && !campaigns) {
    const persons = await personMarkovFacts(conn, accountId, w);
    if (persons !== null) return persons;
  }
  return everyLinkedPerson(conn, accountId, w, dimension, campaigns);
}

/** Converters and every person of several visitors as sessions, each other visitor's path as steps. */
function everyLinkedPerson(
  conn: Connection,
  accountId: string,
  w: FactsWindow,
  dimension: AttributionDimension,
  campaigns: boolean,
): Promise<MarkovFacts> {
  const start = w.from - w.lookbackMs;
  return runQuery(conn, 'markovFacts', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const args = { account: accountId, from: w.from, to: w.to, start, limit: w.maxSessions + 1 };
          const conversions = c.statement<[Record<string, unknown>], Conversion>(SQLITE_CONVERSIONS).all(args);
          const sessions = c
            .statement<[Record<string, unknown>], SessionFactRow>(sqliteSessions(dimension, campaigns))
            .all(args)
            .map(toFactSession(dimension));
          const links = c.statement<[Record<string, unknown>], Link>(SQLITE_LINKS).all(args);
          const truncated = sessions.length > w.maxSessions;
          const counted =
            dimension === 'channel' && !truncated
              ? sqlitePathStepCounts(c, accountId, { start, to: w.to }, pathsOf(sessions))
              : null;
          const steps =
            counted ??
            c
              .statement<[Record<string, unknown>], StepRow>(sqliteSteps(dimension))
              .all(args)
              .flatMap(toSteps(dimension));
          return {
            conversions,
            sessions: truncated ? sessions.slice(0, w.maxSessions) : sessions,
            links,
            steps,
            stepSource: counted === null ? ('raw' as const) : ('read-model' as const),
            truncated,
          };
        })
        .deferred(),
    postgres: (c) =>
      c.transaction(
        async (client) => {
          const conversions = (await client.query<Conversion>(PG_CONVERSIONS, [accountId, w.from, w.to])).rows;
          const sessions = (
            await client.query<SessionFactRow>(pgSessions(dimension, campaigns), [
              accountId,
              w.from,
              w.to,
              start,
              w.maxSessions + 1,
            ])
          ).rows.map(toFactSession(dimension));
          const links = (await client.query<Link>(PG_LINKS, [accountId])).rows;
          const truncated = sessions.length > w.maxSessions;
          const counted =
            dimension === 'channel' && !truncated
              ? await pgPathStepCounts(client, accountId, { start, to: w.to }, pathsOf(sessions))
              : null;
          let steps: PathStepFact[] | null = counted;
          if (steps === null) {
            // PostgreSQL hashes the NOT IN sets only when it expects them to fit work_mem; past that it
            // would probe the list once per session. 64 MB holds ~1M visitor ids (and keeps the window's
            // sort in memory), for this query's transaction only; reads in flight are bounded.
            await client.query(`SET LOCAL work_mem = '${STEPS_WORK_MEM}'`);
            steps = (await client.query<StepRow>(pgSteps(dimension), [accountId, w.from, w.to, start])).rows.flatMap(
              toSteps(dimension),
            );
          }
          return {
            conversions,
            sessions: truncated ? sessions.slice(0, w.maxSessions) : sessions,
            links,
            steps,
            stepSource: counted === null ? ('raw' as const) : ('read-model' as const),
            truncated,
          };
        },
        { isolation: 'repeatable read', readOnly: true },
      ),
  });
}
