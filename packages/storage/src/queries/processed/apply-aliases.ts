// Applies visitor aliases inside applyProcessed's transaction: every row of a ghost visitor moves to its canonical visitor.
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { ProcessedBatch } from '../../storage.js';
import { longestSpans, sessionRollupDeltas, type SessionShape } from '../rollups/rollup-deltas.js';
import { pgLockSessions, pgSessionShapes, sqliteSessionShapes, type SessionKey } from '../rollups/session-shapes.js';
import { pgWriteRollups, sqliteWriteRollups } from '../rollups/write-rollups.js';
import { pgMarkJourneys, sqliteMarkJourneys, type JourneyMark } from '../journeys/journey-marks.js';
import { identityConflict } from './identity-upsert-sql.js';
import { paramsOf, renumbered, sqliteParams } from './numbered-params.js';
import { SESSION_COLUMNS, sessionConflictSql } from './session-upsert-sql.js';

/*
 * DESIGN.md L10 (docs/racing-first-navigations.md). Two cookieless navigations of one browser each
 * mint a visitor; the SDK later sends `alias` (ghost -> canonical). Its items and the ghost's may
 * arrive in any order and any batches (L12), so a pass does two things, both idempotent:
 * 1. records the pass's aliases (a ghost keeps the smallest canonical it was given: the SDK's
 *    canonical is the earliest minted id, and only ever moves earlier);
 * 2. for every visitor of the pass (and every alias's ghost and canonical) that is a ghost, moves
 *    all of its rows to its canonical visitor, merging the ghost's first session into the
 *    canonical's with the sessions upsert's own merge rules, then follows the canonical's own alias.
 * After any pass, no stored row belongs to a ghost, whichever arrived first.
 */

/** Alias chains are as long as the number of tabs a browser raced; this only stops a corrupt cycle. */
const MAX_HOPS = 16;

interface AliasRow {
  ghostId: string;
  canonicalId: string;
  ghostSessionId: string | null;
  canonicalSessionId: string | null;
}
type Visitor = { account: number; id: string };

/** The ghosts among `visitors`, with their alias rows (one statement for them all). */
const SQLITE_FIND = `SELECT a.account_key AS account, a.ghost_id AS ghostId, a.canonical_id AS canonicalId,
    a.ghost_session_id AS ghostSessionId, a.canonical_session_id AS canonicalSessionId
  FROM json_each(?) AS j JOIN visitor_aliases AS a ON a.account_key = j.value ->> 0 AND a.ghost_id = j.value ->> 1`;
const SQLITE_RECORD = `INSERT INTO visitor_aliases (account_key, ghost_id, canonical_id, ghost_session_id, canonical_session_id)
  VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (account_key, ghost_id) DO UPDATE SET canonical_id = excluded.canonical_id,
    ghost_session_id = excluded.ghost_session_id, canonical_session_id = excluded.canonical_session_id
  WHERE excluded.canonical_id < visitor_aliases.canonical_id`;
const PG_FIND = `SELECT a.account_key AS account, a.ghost_id AS "ghostId", a.canonical_id AS "canonicalId",
    a.ghost_session_id AS "ghostSessionId", a.canonical_session_id AS "canonicalSessionId"
  FROM unnest($1::integer[], $2::text[]) AS x (account, id) JOIN visitor_aliases AS a ON a.account_key = x.account AND a.ghost_id = x.id`;
const PG_RECORD = SQLITE_RECORD.replace('VALUES (?, ?, ?, ?, ?)', 'VALUES ($1, $2, $3, $4, $5)');

// Statements of one move. Parameters: the ghost's session id, the canonical's session id, the
// canonical visitor, the account, the ghost visitor (SQLite binds them by number, ?1..?5).
const LANDING_AND_COUNTS = SESSION_COLUMNS.slice(2);
const moveSessions = (
  min: string,
  max: string,
  p: (n: number) => string,
): string => `INSERT INTO sessions (account_key, ${SESSION_COLUMNS.join(', ')})
  SELECT account_key, CASE WHEN id = ${p(1)} THEN ${p(2)} ELSE id END, ${p(3)}, ${LANDING_AND_COUNTS.join(', ')}
  FROM sessions WHERE account_key = ${p(4)} AND visitor_id = ${p(5)} ORDER BY id
  ${sessionConflictSql('sessions', min, max)}`;
const moveItems = (table: 'events' | 'conversions', p: (n: number) => string): string => `UPDATE ${table}
  SET visitor_id = ${p(3)}, session_id = CASE WHEN session_id = ${p(1)} THEN ${p(2)} ELSE session_id END
  WHERE account_key = ${p(4)} AND visitor_id = ${p(5)}`;
const moveIdentities = (
  min: string,
  max: string,
  collate: string,
  p: (n: number) => string,
): string => `INSERT INTO identities
    (account_key, user_id, visitor_id, occurred_at, traits, traits_at)
  SELECT account_key, user_id, ${p(3)}, occurred_at, traits, traits_at FROM identities
  WHERE account_key = ${p(4)} AND visitor_id = ${p(5)} ORDER BY user_id
  ${identityConflict(min, max, collate)}`;
const moveVisitor = (
  min: string,
  max: string,
  p: (n: number) => string,
): string => `INSERT INTO visitors (account_key, id, first_seen_at, last_seen_at)
  SELECT account_key, ${p(3)}, first_seen_at, last_seen_at FROM visitors WHERE account_key = ${p(4)} AND id = ${p(5)}
  ON CONFLICT (account_key, id) DO UPDATE SET first_seen_at = ${min}(visitors.first_seen_at, excluded.first_seen_at),
    last_seen_at = ${max}(visitors.last_seen_at, excluded.last_seen_at)`;
const deleteGhost = (table: 'sessions' | 'identities' | 'visitors', p: (n: number) => string): string =>
  `DELETE FROM ${table} WHERE account_key = ${p(4)} AND ${table === 'visitors' ? 'id' : 'visitor_id'} = ${p(5)}`;
const GHOST_SESSIONS = (p: (n: number) => string): string =>
  `SELECT id FROM sessions WHERE account_key = ${p(4)} AND visitor_id = ${p(5)}`;

const sq = (n: number): string => `?${n}`;
/** PostgreSQL cannot infer a parameter's type in a SELECT list: every use carries it. */
const PG_TYPES = ['text', 'text', 'text', 'integer', 'text'];
const pq = (n: number): string => `$${n}::${PG_TYPES[n - 1] ?? 'text'}`;
const SQLITE_MOVE_STATEMENTS = [
  moveSessions('min', 'max', sq),
  deleteGhost('sessions', sq),
  moveItems('events', sq),
  moveItems('conversions', sq),
  moveIdentities('min', 'max', '', sq),
  deleteGhost('identities', sq),
  moveVisitor('min', 'max', sq),
  deleteGhost('visitors', sq),
].map(renumbered);

const PG_MOVE = [
  moveSessions('LEAST', 'GREATEST', pq),
  deleteGhost('sessions', pq),
  moveItems('events', pq),
  moveItems('conversions', pq),
  moveIdentities('LEAST', 'GREATEST', ' COLLATE "C"', pq),
  deleteGhost('identities', pq),
  moveVisitor('LEAST', 'GREATEST', pq),
  deleteGhost('visitors', pq),
].map(renumbered);
const PG_GHOST_SESSIONS = renumbered(GHOST_SESSIONS(pq));
const SQLITE_GHOST_SESSIONS = renumbered(GHOST_SESSIONS(sq));
/**
 * The visitors a pass may have to move: every visitor any of its rows names (a replayed event or
 * conversion can come without its visitor row, and be stored again after retention removed the
 * first copy), and both sides of its aliases.
 */
function candidates(batch: ProcessedBatch, keyOf: (accountId: string) => number | null): Visitor[] {
  const out = new Map<string, Visitor>();
  const add = (accountId: string, id: string): void => {
    const account = keyOf(accountId);
    if (account !== null) out.set(`${account}/${id}`, { account, id });
  };
  for (const v of batch.visitors) add(v.accountId, v.id);
  for (const rows of [batch.sessions, batch.events, batch.conversions, batch.identities])
    for (const r of rows) add(r.accountId, r.visitorId);
  for (const a of batch.aliases) {
    add(a.accountId, a.ghostId);
    add(a.accountId, a.canonicalId);
  }
  return [...out.values()];
}

/** Session keys before and after moving `ghost`'s sessions (the ghost's first session renamed). */
function movedKeys(
  account: number,
  alias: AliasRow,
  ghostSessions: readonly string[],
): { before: SessionKey[]; after: SessionKey[] } {
  const after = ghostSessions.map((id) => ({
    account,
    visitorId: alias.canonicalId,
    id: id === alias.ghostSessionId ? (alias.canonicalSessionId ?? id) : id,
  }));
  return { before: [...ghostSessions.map((id) => ({ account, visitorId: alias.ghostId, id })), ...after], after };
}

/** A move takes the ghost's sessions and conversions to the canonical: both persons' journeys change. */
const aliasMarks = (account: number, a: AliasRow): JourneyMark[] => [
  { accountKey: account, visitorId: a.ghostId },
  { accountKey: account, visitorId: a.canonicalId },
];

const moveParams = (account: number, a: AliasRow): unknown[] => [
  a.ghostSessionId,
  a.canonicalSessionId,
  a.canonicalId,
  account,
  a.ghostId,
];

function sqliteMove(c: SqliteConnection, account: number, alias: AliasRow): void {
  const params = moveParams(account, alias);
  const ghostSessions = c
    .statement<[Record<number, unknown>], { id: string }>(SQLITE_GHOST_SESSIONS.text)
    .all(sqliteParams(SQLITE_GHOST_SESSIONS, params))
    .map((r) => r.id);
  const keys = movedKeys(account, alias, ghostSessions);
  const before: SessionShape[] = sqliteSessionShapes(c, keys.before);
  for (const statement of SQLITE_MOVE_STATEMENTS)
    c.statement<[Record<number, unknown>]>(statement.text).run(sqliteParams(statement, params));
  const after = sqliteSessionShapes(c, keys.after);
  sqliteWriteRollups(c, { sessions: sessionRollupDeltas(before, after), items: [], spans: longestSpans(after) });
  sqliteMarkJourneys(c, aliasMarks(account, alias));
}

const lockKey = (account: number, visitorId: string): SessionKey => ({ account, visitorId, id: '' });
const visitorKey = (v: SessionKey): string => `${v.account}/${v.visitorId}`;

/**
 * Visitor locks (session-shapes.ts) are what make a move see every row of the ghost: a pass storing
 * the ghost's items holds the ghost's lock until it commits, so the move lists the ghost's sessions
 * after those rows are committed, or that pass, waiting, sees the alias and moves them itself.
 * applyProcessed takes them all up front in one sorted statement (pgAliasLockKeys); a visitor an
 * alias committed since then leads to is locked here, late (a deadlock that may cause is rolled
 * back and the pass retried, postgres-connection.ts).
 */
async function pgLockMove(client: PgQueryable, account: number, alias: AliasRow, locked: Set<string>): Promise<void> {
  const missing = [lockKey(account, alias.ghostId), lockKey(account, alias.canonicalId)].filter(
    (k) => !locked.has(visitorKey(k)),
  );
  await pgLockSessions(client, missing);
  for (const k of missing) locked.add(visitorKey(k));
}

async function pgMove(client: PgQueryable, account: number, alias: AliasRow, locked: Set<string>): Promise<void> {
  await pgLockMove(client, account, alias, locked);
  const params = moveParams(account, alias);
  const ghostSessions = (
    await client.query<{ id: string }>(PG_GHOST_SESSIONS.text, paramsOf(PG_GHOST_SESSIONS, params))
  ).rows.map((r) => r.id);
  const keys = movedKeys(account, alias, ghostSessions);
  const before = await pgSessionShapes(client, keys.before);
  for (const statement of PG_MOVE) await client.query(statement.text, paramsOf(statement, params));
  const after = await pgSessionShapes(client, keys.after);
  await pgWriteRollups(client, { sessions: sessionRollupDeltas(before, after), items: [], spans: longestSpans(after) });
  await pgMarkJourneys(client, aliasMarks(account, alias));
}

/** Records the pass's aliases and moves every ghost among the pass's visitors (and onwards, along chains). */
export function sqliteApplyAliases(
  c: SqliteConnection,
  batch: ProcessedBatch,
  keyOf: (accountId: string) => number | null,
): void {
  for (const a of batch.aliases) {
    const account = keyOf(a.accountId);
    if (account !== null)
      c.statement(SQLITE_RECORD).run(account, a.ghostId, a.canonicalId, a.ghostSessionId, a.canonicalSessionId);
  }
  let queue = candidates(batch, keyOf);
  for (let hop = 0; hop < MAX_HOPS && queue.length > 0; hop++) {
    const found = c
      .statement<[string], AliasRow & { account: number }>(SQLITE_FIND)
      .all(JSON.stringify(queue.map((v) => [v.account, v.id])));
    for (const alias of found) sqliteMove(c, alias.account, alias);
    queue = found.map((a) => ({ account: a.account, id: a.canonicalId }));
  }
}

/**
 * PostgreSQL: the visitors a pass may write through aliases (its own, both sides of its aliases, and
 * the canonicals the stored aliases lead those to) as lock keys, for applyProcessed to lock with its
 * sessions' visitors before its first write. One indexed lookup per hop; none found for a pass
 * without ghosts.
 */
export async function pgAliasLockKeys(
  client: PgQueryable,
  batch: ProcessedBatch,
  keyOf: (accountId: string) => number | null,
): Promise<SessionKey[]> {
  const seen = new Map<string, SessionKey>();
  let queue = candidates(batch, keyOf).map((v) => lockKey(v.account, v.id));
  for (let hop = 0; hop < MAX_HOPS && queue.length > 0; hop++) {
    for (const k of queue) seen.set(visitorKey(k), k);
    const found = (
      await client.query<AliasRow & { account: number }>(PG_FIND, [
        queue.map((k) => k.account),
        queue.map((k) => k.visitorId),
      ])
    ).rows;
    queue = found.map((a) => lockKey(a.account, a.canonicalId)).filter((k) => !seen.has(visitorKey(k)));
  }
  return [...seen.values()];
}

/** `locked`: the visitors applyProcessed has locked (pgAliasLockKeys and its sessions'); moves lock any other. */
export async function pgApplyAliases(
  client: PgQueryable,
  batch: ProcessedBatch,
  keyOf: (accountId: string) => number | null,
  locked: readonly SessionKey[],
): Promise<void> {
  const held = new Set(locked.map(visitorKey));
  for (const a of batch.aliases) {
    const account = keyOf(a.accountId);
    if (account !== null)
      await client.query(PG_RECORD, [account, a.ghostId, a.canonicalId, a.ghostSessionId, a.canonicalSessionId]);
  }
  let queue = candidates(batch, keyOf);
  for (let hop = 0; hop < MAX_HOPS && queue.length > 0; hop++) {
    const found = (
      await client.query<AliasRow & { account: number }>(PG_FIND, [queue.map((v) => v.account), queue.map((v) => v.id)])
    ).rows;
    for (const alias of found) await pgMove(client, alias.account, alias, held);
    queue = found.map((a) => ({ account: a.account, id: a.canonicalId }));
  }
}
