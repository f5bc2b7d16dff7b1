// converterFacts: attributionFacts narrowed to the people who converted: their sessions and identity links only, which is all every model but Markov reads.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { AttributionFacts, Dialect } from '../../storage.js';
import type { AttributionDimension } from './attribution-dimension.js';
import { personLinks, personSessions, personWalk, windowConversions, windowConverters } from './person-walk-sql.js';
import { toFactSession, type FactsWindow, type SessionFactRow } from './attribution-facts.js';

// attributionFacts reads every session of the window, because Markov needs the people who did not
// convert; the other models need only the converters, a few percent of them: the person walk
// (person-walk-sql.ts) from the window's converting visitors.
const sessionsSql = (dialect: Dialect, dimension: AttributionDimension, campaigns: boolean): string =>
  personWalk(
    dialect,
    windowConverters(dialect),
    `${personSessions(dialect, dimension, campaigns)}
  ORDER BY s.started_at DESC LIMIT ${dialect === 'sqlite' ? '@limit' : '$5'}`,
  );
const linksSql = (dialect: Dialect): string => personWalk(dialect, windowConverters(dialect), personLinks(dialect));
const SQLITE_CONVERSIONS = windowConversions('sqlite');
const SQLITE_LINKS = linksSql('sqlite');
const PG_CONVERSIONS = windowConversions('postgres');
const PG_LINKS = linksSql('postgres');

type Conversion = AttributionFacts['conversions'][number];
type Link = AttributionFacts['links'][number];

/** The same answer as attributionFacts for every journey: equal journeys whenever neither is truncated. */
export function converterFacts(conn: Connection, accountId: string, w: FactsWindow): Promise<AttributionFacts> {
  const dimension = w.dimension ?? 'channel';
  const campaigns = w.campaigns ?? true;
  const start = w.from - w.lookbackMs;
  return runQuery(conn, 'converterFacts', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const args = { account: accountId, from: w.from, to: w.to, start, limit: w.maxSessions + 1 };
          const conversions = c.statement<[Record<string, unknown>], Conversion>(SQLITE_CONVERSIONS).all(args);
          const sessions = c
            .statement<[Record<string, unknown>], SessionFactRow>(sessionsSql('sqlite', dimension, campaigns))
            .all(args)
            .map(toFactSession(dimension));
          const links = c.statement<[Record<string, unknown>], Link>(SQLITE_LINKS).all(args);
          const truncated = sessions.length > w.maxSessions;
          return { conversions, sessions: truncated ? sessions.slice(0, w.maxSessions) : sessions, links, truncated };
        })
        .deferred(),
    postgres: (c) =>
      c.transaction(
        async (client) => {
          // As journeyFacts: the walk's estimate triggers JIT compilation worth more than the query (journey-facts.ts).
          await client.query('SET LOCAL jit = off');
          const conversions = (await client.query<Conversion>(PG_CONVERSIONS, [accountId, w.from, w.to])).rows;
          const sessions = (
            await client.query<SessionFactRow>(sessionsSql('postgres', dimension, campaigns), [
              accountId,
              w.from,
              w.to,
              start,
              w.maxSessions + 1,
            ])
          ).rows.map(toFactSession(dimension));
          const links = (await client.query<Link>(PG_LINKS, [accountId, w.from, w.to])).rows;
          const truncated = sessions.length > w.maxSessions;
          return { conversions, sessions: truncated ? sessions.slice(0, w.maxSessions) : sessions, links, truncated };
        },
        { isolation: 'repeatable read', readOnly: true },
      ),
  });
}
