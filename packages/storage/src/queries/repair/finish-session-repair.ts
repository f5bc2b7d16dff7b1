// finishSessionRepair: one step of ranking legacy landings from the staged sessions, with what moved where.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { SessionRepairCursor, SessionRepairMove, SessionRepairStep } from '../../storage.js';
import { sessionRollupDeltas } from '../rollups/rollup-deltas.js';
import { pgLockSessions, pgSessionShapes, sqliteSessionShapes, type SessionKey } from '../rollups/session-shapes.js';
import { pgWriteRollups, sqliteWriteRollups } from '../rollups/write-rollups.js';

interface KeyRow {
  account_key: number;
  visitor_id: string;
  id: string;
}
interface MoveRow {
  from_channel: string | null;
  to_channel: string | null;
  sessions: number;
  changed: number;
}

/**
 * A stored session is repaired when its landing has no rank (stored before landing order existed)
 * and the staged session, re-derived from the processed inbox rows, has every one of its items
 * (equal event and pageview counts) and a landing candidate. A session with items missing from
 * the inbox (retention deleted them, or they were counted twice before the fix) keeps its landing.
 */
const eligible = (p: (name: string) => string): string => `s.landing_rank IS NULL AND s.landing_url IS NOT NULL
    AND r.landing_rank IS NOT NULL AND r.event_count = s.event_count AND r.pageview_count = s.pageview_count
    AND (${p('account')} IS NULL OR s.account_key = (SELECT key FROM accounts WHERE id = ${p('account')}))
    AND (r.account_key, r.visitor_id, r.id) > (${p('ak')}, ${p('vid')}, ${p('sid')})
    AND (r.account_key, r.visitor_id, r.id) <= (${p('lak')}, ${p('lvid')}, ${p('lsid')})`;
const JOIN =
  'session_landing_repair AS r JOIN sessions AS s ON s.account_key = r.account_key AND s.visitor_id = r.visitor_id AND s.id = r.id';
const LANDING = ['landing_url', 'landing_host', 'referrer', 'channel', 'utm', 'click_ids'];
const moves = (
  p: (name: string) => string,
  distinct: string,
): string => `SELECT s.channel AS from_channel, r.channel AS to_channel,
    count(*) AS sessions, sum(CASE WHEN ${LANDING.map((col) => `s.${col} ${distinct} r.${col}`).join(' OR ')} THEN 1 ELSE 0 END) AS changed
  FROM ${JOIN} WHERE ${eligible(p)} GROUP BY s.channel, r.channel ORDER BY count(*) DESC`;
const update = (p: (name: string) => string): string => `UPDATE sessions AS s SET
    ${[...LANDING, 'landing_rank', 'landing_at', 'landing_item'].map((col) => `${col} = r.${col}`).join(', ')}
  FROM session_landing_repair AS r
  WHERE s.account_key = r.account_key AND s.visitor_id = r.visitor_id AND s.id = r.id AND ${eligible(p)}`;
const KEYS = (p: (name: string) => string): string => `SELECT account_key, visitor_id, id FROM session_landing_repair
  WHERE (account_key, visitor_id, id) > (${p('ak')}, ${p('vid')}, ${p('sid')}) ORDER BY account_key, visitor_id, id LIMIT ${p('limit')}`;

const sqliteName = (name: string): string => `@${name}`;
const PG_ORDER = ['account', 'ak', 'vid', 'sid', 'lak', 'lvid', 'lsid', 'limit'];
const pgName = (name: string): string => `$${PG_ORDER.indexOf(name) + 1}${name === 'account' ? '::text' : ''}`;
const SQLITE_KEYS = KEYS(sqliteName);
const SQLITE_MOVES = moves(sqliteName, 'IS NOT');
const SQLITE_UPDATE = update(sqliteName);
const PG_KEYS = `SELECT account_key, visitor_id, id FROM session_landing_repair
  WHERE (account_key, visitor_id, id) > ($1, $2, $3) ORDER BY account_key, visitor_id, id LIMIT $4`;
const PG_MOVES = moves(pgName, 'IS DISTINCT FROM');
const PG_UPDATE = update(pgName);
const SQLITE_CLEAR = 'DELETE FROM session_landing_repair';

export interface FinishOptions {
  accountId: string | null;
  after: SessionRepairCursor | null;
  limit: number;
  dryRun: boolean;
}

const START: SessionRepairCursor = { accountKey: -1, visitorId: '', id: '' };
const cursorOf = (row: KeyRow): SessionRepairCursor => ({
  accountKey: row.account_key,
  visitorId: row.visitor_id,
  id: row.id,
});
const toMove = (r: MoveRow): SessionRepairMove => ({
  from: r.from_channel,
  to: r.to_channel,
  sessions: r.sessions,
  changed: r.changed,
});
// A repaired landing moves its session between rollup rows, as a late better landing does in applyProcessed.
const sessionKeysOf = (keys: readonly KeyRow[]): SessionKey[] =>
  keys.map((k) => ({ account: k.account_key, visitorId: k.visitor_id, id: k.id }));

function sqliteStep(c: SqliteConnection, o: FinishOptions): SessionRepairStep {
  const after = o.after ?? START;
  const keys = c
    .statement<[Record<string, unknown>], KeyRow>(SQLITE_KEYS)
    .all({ ak: after.accountKey, vid: after.visitorId, sid: after.id, limit: o.limit });
  const last = keys[keys.length - 1];
  if (last === undefined) {
    c.db.exec(SQLITE_CLEAR);
    return { moves: [], repaired: 0, next: null };
  }
  const params = {
    account: o.accountId,
    ak: after.accountKey,
    vid: after.visitorId,
    sid: after.id,
    lak: last.account_key,
    lvid: last.visitor_id,
    lsid: last.id,
  };
  const found = c.statement<[Record<string, unknown>], MoveRow>(SQLITE_MOVES).all(params).map(toMove);
  if (o.dryRun) return { moves: found, repaired: 0, next: cursorOf(last) };
  const before = sqliteSessionShapes(c, sessionKeysOf(keys));
  const repaired = c.statement<[Record<string, unknown>]>(SQLITE_UPDATE).run(params).changes;
  sqliteWriteRollups(c, {
    sessions: sessionRollupDeltas(before, sqliteSessionShapes(c, sessionKeysOf(keys))),
    items: [],
    spans: [],
  });
  return { moves: found, repaired, next: cursorOf(last) };
}

async function pgStep(client: PgQueryable, o: FinishOptions): Promise<SessionRepairStep> {
  const after = o.after ?? START;
  const keys = (await client.query<KeyRow>(PG_KEYS, [after.accountKey, after.visitorId, after.id, o.limit])).rows;
  const last = keys[keys.length - 1];
  if (last === undefined) {
    await client.query(SQLITE_CLEAR);
    return { moves: [], repaired: 0, next: null };
  }
  const params = [o.accountId, after.accountKey, after.visitorId, after.id, last.account_key, last.visitor_id, last.id];
  const found = (await client.query<MoveRow>(PG_MOVES, params)).rows.map(toMove);
  if (o.dryRun) return { moves: found, repaired: 0, next: cursorOf(last) };
  await pgLockSessions(client, sessionKeysOf(keys));
  const before = await pgSessionShapes(client, sessionKeysOf(keys));
  const repaired = (await client.query(PG_UPDATE, params)).rowCount ?? 0;
  await pgWriteRollups(client, {
    sessions: sessionRollupDeltas(before, await pgSessionShapes(client, sessionKeysOf(keys))),
    items: [],
    spans: [],
  });
  return { moves: found, repaired, next: cursorOf(last) };
}

/**
 * Handles the staged sessions after `after`, up to `limit` of them, in one short transaction (a
 * running collector's ingest waits for at most one step). Returns where to continue, or null once
 * every staged session was handled and the staging table has been emptied.
 */
export function finishSessionRepair(conn: Connection, options: FinishOptions): Promise<SessionRepairStep> {
  return runQuery(conn, 'finishSessionRepair', {
    sqlite: (c) => c.db.transaction(() => sqliteStep(c, options)).immediate(),
    postgres: (c) => c.transaction((client) => pgStep(client, options)),
  });
}
