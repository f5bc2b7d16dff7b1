// personSessions: one person's visitors (the visitor and every visitor linked to it through identify, transitively) and their sessions in a window.
import type { SessionFact } from '../../storage.js';
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { storedJsonObject } from '../stored-json-object.js';
import { walkCtes } from './person-walk-sql.js';

/** One person: the visitor and every visitor linked to it through identify (transitively), and their sessions in a window. */
export interface PersonSessions {
  visitors: string[];
  sessions: SessionFact[];
}

/** A person is at most this many visitors (a shared test account id could link thousands). */
export const MAX_VISITORS = 10_000;

// The identify walk of person-walk-sql.ts (each visitor and user id expanded once, both steps index
// lookups); on SQLite CROSS JOIN and INDEXED BY hold that plan: left alone, the planner scanned the
// account's identities per step and its sessions by activity (153 ms p50 per journey on 62k
// sessions). On PostgreSQL each lookup is a LATERAL subquery fenced by OFFSET 0: the planner,
// estimating a handful of visitors, otherwise joins them to every session of the account
// (converter-facts.ts). SQLite bounds the walk's rows (visitors and user ids: 2 x MAX_VISITORS) in
// the CTE; PostgreSQL reads at most MAX_VISITORS of its visitors.
const START = { sqlite: 'SELECT @visitor AS visitor_id', postgres: 'SELECT $2::text COLLATE "C" AS visitor_id' };
export const sqlitePerson = (
  select: string,
): string => `WITH RECURSIVE acct(k) AS (SELECT key FROM accounts WHERE id = @account),
  ${walkCtes('sqlite', START.sqlite, 'acct.k', 2 * MAX_VISITORS)}
  ${select}`;
const SQLITE_VISITORS = sqlitePerson('SELECT visitor_id FROM person');
const SQLITE_SESSIONS =
  sqlitePerson(`SELECT s.id, s.visitor_id AS visitorId, s.started_at AS startedAt, s.channel, s.utm
  FROM person p CROSS JOIN acct CROSS JOIN sessions s ON s.account_key = acct.k AND s.visitor_id = p.visitor_id
  WHERE s.started_at >= @from AND s.started_at <= @to`);

export const pgPerson = (select: string): string => `WITH RECURSIVE acct(k) AS (SELECT key FROM accounts WHERE id = $1),
  ${walkCtes('postgres', START.postgres, 'acct.k')}
  ${select}`;
const PG_VISITORS = pgPerson(`SELECT visitor_id FROM person LIMIT ${MAX_VISITORS}`);
const PG_SESSIONS = pgPerson(`SELECT s.id, s.visitor_id AS "visitorId", s.started_at AS "startedAt", s.channel, s.utm
  FROM (SELECT visitor_id FROM person LIMIT ${MAX_VISITORS}) p CROSS JOIN acct
    CROSS JOIN LATERAL (SELECT * FROM sessions s WHERE s.account_key = acct.k AND s.visitor_id = p.visitor_id
      AND s.started_at >= $3 AND s.started_at <= $4 OFFSET 0) s`);

type Session = PersonSessions['sessions'][number];
type SessionRow = Omit<Session, 'campaign'> & { utm: unknown };

/**
 * The campaign is read from the JSON text in code, not by json_extract or ::jsonb, which fail the
 * whole query on one malformed value: one stored value must never break a journey (DESIGN.md L11).
 */
function toSession({ utm, ...row }: SessionRow): Session {
  const campaign = storedJsonObject(utm).utm_campaign;
  return {
    ...row,
    campaign:
      typeof campaign === 'string' ? campaign : campaign === undefined || campaign === null ? null : String(campaign),
  };
}

export function personSessions(
  conn: Connection,
  accountId: string,
  visitorId: string,
  w: { from: number; to: number },
): Promise<PersonSessions> {
  return runQuery(conn, 'personSessions', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const args = { account: accountId, visitor: visitorId, from: w.from, to: w.to };
          const visitors = c
            .statement<[Record<string, unknown>], { visitor_id: string }>(SQLITE_VISITORS)
            .all(args)
            .map((r) => r.visitor_id);
          const sessions = c.statement<[Record<string, unknown>], SessionRow>(SQLITE_SESSIONS).all(args).map(toSession);
          return { visitors, sessions };
        })
        .deferred(),
    postgres: (c) =>
      c.transaction(
        async (client) => {
          const visitors = (await client.query<{ visitor_id: string }>(PG_VISITORS, [accountId, visitorId])).rows.map(
            (r) => r.visitor_id,
          );
          const sessions = (await client.query<SessionRow>(PG_SESSIONS, [accountId, visitorId, w.from, w.to])).rows.map(
            toSession,
          );
          return { visitors, sessions };
        },
        { isolation: 'repeatable read', readOnly: true },
      ),
  });
}
