// Sessions by inactivity for cookieless visitors, inside applyProcessed's transaction: sessions closer than the timeout merge.
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { ProcessedBatch } from '../../storage.js';
import { longestSpans, sessionRollupDeltas } from '../rollups/rollup-deltas.js';
import { pgSessionShapes, sqliteSessionShapes, type SessionKey } from '../rollups/session-shapes.js';
import { pgWriteRollups, sqliteWriteRollups } from '../rollups/write-rollups.js';
import { paramsOf, renumbered, sqliteParams } from './numbered-params.js';
import { SESSION_COLUMNS, sessionConflictSql } from './session-upsert-sql.js';

/*
 * A cookieless visitor (docs/privacy.md) has no cookie to carry its session, so the collector
 * sessionizes: items less than the timeout apart are one session. Items reach the worker in any
 * order and batches (DESIGN.md L12), and an item that arrives late can join two stored sessions, so
 * after writing a pass, every cookieless visitor of the pass has its sessions re-clustered by their
 * time spans and each cluster merged into one, under the visitor lock the pass already holds on
 * PostgreSQL (session-shapes.ts). A cluster keeps the id of its session that started first (ties:
 * the smallest id): each session's id is then always its earliest item's provisional id (the worker
 * names an item's session by the item, cookieless-items.ts), so the final id depends on the items
 * only, never on the order they came in. Merging reuses the sessions upsert's own merge rules
 * (earliest start, latest activity, counts added, the better landing) and moves the read model by
 * the sessions' shapes before and after, as visitor aliases do (apply-aliases.ts).
 */

export interface SessionSpan {
  id: string;
  startedAt: number;
  lastSeenAt: number;
}

/**
 * Pure: the clusters of more than one session, each as [target, ...sources]. Sessions sorted by
 * start join the current cluster while they start less than `timeoutMs` after its latest activity
 * (the SDK's rule: a request after `timeoutMs` of inactivity starts a new session).
 */
export function inactivityClusters(spans: readonly SessionSpan[], timeoutMs: number): string[][] {
  const sorted = [...spans].sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: string[][] = [];
  let cluster: string[] = [];
  let last = -Infinity;
  for (const s of sorted) {
    if (cluster.length > 0 && s.startedAt - last >= timeoutMs) {
      if (cluster.length > 1) out.push(cluster);
      cluster = [];
    }
    cluster.push(s.id);
    last = cluster.length === 1 ? s.lastSeenAt : Math.max(last, s.lastSeenAt);
  }
  if (cluster.length > 1) out.push(cluster);
  return out;
}

// Parameters: 1 the target session, 2 the account key, 3 the visitor, 4 the source session.
const mergeSession = (
  min: string,
  max: string,
  p: (n: number) => string,
): string => `INSERT INTO sessions (account_key, ${SESSION_COLUMNS.join(', ')})
  SELECT account_key, ${p(1)}, visitor_id, ${SESSION_COLUMNS.slice(2).join(', ')}
  FROM sessions WHERE account_key = ${p(2)} AND visitor_id = ${p(3)} AND id = ${p(4)} ORDER BY id
  ${sessionConflictSql('sessions', min, max)}`;
const dropSource = (p: (n: number) => string): string =>
  `DELETE FROM sessions WHERE account_key = ${p(2)} AND visitor_id = ${p(3)} AND id = ${p(4)}`;
const moveItems = (
  table: 'events' | 'conversions',
  p: (n: number) => string,
): string => `UPDATE ${table} SET session_id = ${p(1)}
  WHERE account_key = ${p(2)} AND visitor_id = ${p(3)} AND session_id = ${p(4)}`;
const SPANS = (p: (n: number) => string): string => `SELECT id, started_at AS "startedAt", last_seen_at AS "lastSeenAt"
  FROM sessions WHERE account_key = ${p(1)} AND visitor_id = ${p(2)}`;

const sq = (n: number): string => `?${n}`;
const PG_TYPES = ['text', 'integer', 'text', 'text'];
const pq = (n: number): string => `$${n}::${PG_TYPES[n - 1] ?? 'text'}`;
const SQLITE_MERGE = [
  mergeSession('min', 'max', sq),
  dropSource(sq),
  moveItems('events', sq),
  moveItems('conversions', sq),
].map(renumbered);
const PG_MERGE = [
  mergeSession('LEAST', 'GREATEST', pq),
  dropSource(pq),
  moveItems('events', pq),
  moveItems('conversions', pq),
].map(renumbered);
const SQLITE_SPANS = SPANS((n) => `?${n}`);
const PG_SPANS = SPANS((n) => `$${n}`);

type KeyOf = (accountId: string) => number | null;

function visitorsOf(batch: ProcessedBatch, keyOf: KeyOf): Array<{ account: number; visitorId: string }> {
  const out = new Map<string, { account: number; visitorId: string }>();
  for (const v of batch.cookieless?.visitors ?? []) {
    const account = keyOf(v.accountId);
    if (account !== null) out.set(`${account}/${v.visitorId}`, { account, visitorId: v.visitorId });
  }
  return [...out.values()];
}

const keysOf = (account: number, visitorId: string, ids: readonly string[]): SessionKey[] =>
  ids.map((id) => ({ account, visitorId, id }));

/** Every merge of the pass: its clusters, per visitor. */
interface Merges {
  before: SessionKey[];
  after: SessionKey[];
  merges: Array<{ account: number; visitorId: string; target: string; source: string }>;
}

function plan(clustered: Array<{ account: number; visitorId: string; clusters: string[][] }>): Merges {
  const out: Merges = { before: [], after: [], merges: [] };
  for (const { account, visitorId, clusters } of clustered) {
    for (const [target, ...sources] of clusters) {
      out.before.push(...keysOf(account, visitorId, [target as string, ...sources]));
      out.after.push(...keysOf(account, visitorId, [target as string]));
      for (const source of sources) out.merges.push({ account, visitorId, target: target as string, source });
    }
  }
  return out;
}

/**
 * Reads every cluster first, then merges them all, with one read of the shapes before and after and
 * one rollup write for the pass (sessions of different clusters are disjoint, so their deltas add).
 */
export function sqliteSessionizeCookieless(c: SqliteConnection, batch: ProcessedBatch, keyOf: KeyOf): void {
  const timeoutMs = batch.cookieless?.timeoutMs ?? 0;
  const spans = c.statement<[Record<number, unknown>], SessionSpan>(SQLITE_SPANS);
  const {
    before: beforeKeys,
    after: afterKeys,
    merges,
  } = plan(
    visitorsOf(batch, keyOf).map(({ account, visitorId }) => ({
      account,
      visitorId,
      clusters: inactivityClusters(spans.all({ 1: account, 2: visitorId }), timeoutMs),
    })),
  );
  if (merges.length === 0) return;
  const before = sqliteSessionShapes(c, beforeKeys);
  // PostgreSQL refuses one upsert touching a row twice, so each source merges on its own (both dialects alike).
  for (const m of merges) {
    for (const statement of SQLITE_MERGE)
      c.statement<[Record<number, unknown>]>(statement.text).run(
        sqliteParams(statement, [m.target, m.account, m.visitorId, m.source]),
      );
  }
  const after = sqliteSessionShapes(c, afterKeys);
  sqliteWriteRollups(c, { sessions: sessionRollupDeltas(before, after), items: [], spans: longestSpans(after) });
}

/** The visitors were locked by applyProcessed with its sessions' (the pass wrote a session of each). */
export async function pgSessionizeCookieless(client: PgQueryable, batch: ProcessedBatch, keyOf: KeyOf): Promise<void> {
  const timeoutMs = batch.cookieless?.timeoutMs ?? 0;
  const clustered: Array<{ account: number; visitorId: string; clusters: string[][] }> = [];
  for (const { account, visitorId } of visitorsOf(batch, keyOf)) {
    const spans = (await client.query<SessionSpan>(PG_SPANS, [account, visitorId])).rows.map((s) => ({
      id: s.id,
      startedAt: Number(s.startedAt),
      lastSeenAt: Number(s.lastSeenAt),
    }));
    clustered.push({ account, visitorId, clusters: inactivityClusters(spans, timeoutMs) });
  }
  const { before: beforeKeys, after: afterKeys, merges } = plan(clustered);
  if (merges.length === 0) return;
  const before = await pgSessionShapes(client, beforeKeys);
  for (const m of merges) {
    for (const statement of PG_MERGE)
      await client.query(statement.text, paramsOf(statement, [m.target, m.account, m.visitorId, m.source]));
  }
  const after = await pgSessionShapes(client, afterKeys);
  await pgWriteRollups(client, { sessions: sessionRollupDeltas(before, after), items: [], spans: longestSpans(after) });
}
