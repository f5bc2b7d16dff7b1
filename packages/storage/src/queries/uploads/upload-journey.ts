// uploadJourney: one converting person's sessions (click ids, landing URL) in a window and their identify traits, for a conversion upload.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { UploadJourney, UploadSession } from '../../upload-definitions.js';
import { MAX_VISITORS, pgPerson, sqlitePerson } from '../attribution/person-sessions.js';
import { storedJsonObject } from '../stored-json-object.js';

// The person is the one a journey is built from (person-sessions.ts): the visitor and every
// visitor linked to it through identify, so a click on one device counts for a purchase on another.
const SQLITE_SESSIONS =
  sqlitePerson(`SELECT s.id, s.visitor_id AS visitorId, s.started_at AS startedAt, s.landing_url AS landingUrl, s.click_ids AS clickIds
  FROM person p CROSS JOIN acct CROSS JOIN sessions s ON s.account_key = acct.k AND s.visitor_id = p.visitor_id
  WHERE s.started_at >= @from AND s.started_at <= @to AND s.click_ids <> '{}'
  ORDER BY s.started_at DESC, s.id DESC`);
const SQLITE_TRAITS = sqlitePerson(`SELECT i.traits FROM person p CROSS JOIN acct
  CROSS JOIN identities i INDEXED BY identities_by_visitor ON i.account_key = acct.k AND i.visitor_id = p.visitor_id
  ORDER BY i.occurred_at DESC LIMIT 20`);
const PG_SESSIONS =
  pgPerson(`SELECT s.id, s.visitor_id AS "visitorId", s.started_at AS "startedAt", s.landing_url AS "landingUrl", s.click_ids AS "clickIds"
  FROM (SELECT visitor_id FROM person LIMIT ${MAX_VISITORS}) p CROSS JOIN acct
    CROSS JOIN LATERAL (SELECT * FROM sessions s WHERE s.account_key = acct.k AND s.visitor_id = p.visitor_id
      AND s.started_at >= $3 AND s.started_at <= $4 AND s.click_ids <> '{}' OFFSET 0) s
  ORDER BY s.started_at DESC, s.id DESC`);
const PG_TRAITS = pgPerson(`SELECT i.traits FROM (SELECT visitor_id FROM person LIMIT ${MAX_VISITORS}) p CROSS JOIN acct
  CROSS JOIN LATERAL (SELECT traits, occurred_at FROM identities i WHERE i.account_key = acct.k AND i.visitor_id = p.visitor_id OFFSET 0) i
  ORDER BY i.occurred_at DESC LIMIT 20`);

type Row = Omit<UploadSession, 'startedAt' | 'clickIds'> & { startedAt: number | string; clickIds: unknown };

/** Click ids and traits are read from their JSON text in code: one malformed stored value must not fail an upload (DESIGN.md L11). */
function toSession({ clickIds, startedAt, ...row }: Row): UploadSession {
  const ids = Object.fromEntries(
    Object.entries(storedJsonObject(clickIds)).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  return { ...row, startedAt: Number(startedAt), clickIds: ids };
}

export function uploadJourney(
  conn: Connection,
  accountId: string,
  visitorId: string,
  w: { from: number; to: number },
): Promise<UploadJourney> {
  return runQuery(conn, 'uploadJourney', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const args = { account: accountId, visitor: visitorId, from: w.from, to: w.to };
          const sessions = c.statement<[Record<string, unknown>], Row>(SQLITE_SESSIONS).all(args).map(toSession);
          const traits = c
            .statement<[Record<string, unknown>], { traits: unknown }>(SQLITE_TRAITS)
            .all({ account: accountId, visitor: visitorId });
          return { sessions, traits: traits.map((t) => storedJsonObject(t.traits)) };
        })
        .deferred(),
    postgres: (c) =>
      c.transaction(
        async (client) => {
          const sessions = (await client.query<Row>(PG_SESSIONS, [accountId, visitorId, w.from, w.to])).rows.map(
            toSession,
          );
          const traits = (await client.query<{ traits: unknown }>(PG_TRAITS, [accountId, visitorId])).rows;
          return { sessions, traits: traits.map((t) => storedJsonObject(t.traits)) };
        },
        { isolation: 'repeatable read', readOnly: true },
      ),
  });
}
