// The session upsert of both dialects, for the sessions table and the repair's staging table alike.
import type { SessionUpsert } from '../../storage.js';
import { accountRowsPlaceholders, ROWS_PER_INSERT } from '../multi-row-insert.js';
import { LANDING_COLUMNS, landingAssignmentsSql, landingParams } from './landing-order.js';
import { pgRows } from './pg-rows-insert.js';

/** Tables with the session shape: the real one, and the one `touchline repair-sessions` stages into. */
export type SessionTable = 'sessions' | 'session_landing_repair';

export const SESSION_COLUMNS = [
  'id',
  'visitor_id',
  'started_at',
  'last_seen_at',
  ...LANDING_COLUMNS,
  'event_count',
  'pageview_count',
];
const PG_TYPES = [
  'text',
  'text',
  'text',
  'bigint',
  'bigint',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'integer',
  'bigint',
  'text',
  'integer',
  'integer',
];

/**
 * A session's rows merge whatever order its batches arrive in (DESIGN.md L12): times by min/max,
 * counts add up (each item reaches a session once: the inbox stores it once, and applyProcessed
 * writes a pass only while all its rows are pending), and the landing unit is the better of the
 * stored and the incoming candidate by landing order.
 */
export function sessionConflictSql(table: SessionTable, min: string, max: string): string {
  return `ON CONFLICT (account_key, visitor_id, id) DO UPDATE SET
    started_at = ${min}(${table}.started_at, excluded.started_at),
    last_seen_at = ${max}(${table}.last_seen_at, excluded.last_seen_at),
    ${landingAssignmentsSql(table)},
    event_count = ${table}.event_count + excluded.event_count,
    pageview_count = ${table}.pageview_count + excluded.pageview_count`;
}

/** SQLite statement texts for 0..ROWS_PER_INSERT rows: index n holds the n-row statement. */
export function sqliteSessionUpserts(table: SessionTable): string[] {
  return Array.from(
    { length: ROWS_PER_INSERT + 1 },
    (_, rows) => `INSERT INTO ${table} (account_key, ${SESSION_COLUMNS.join(', ')})
  VALUES ${accountRowsPlaceholders(SESSION_COLUMNS.length, rows)}
  ${sessionConflictSql(table, 'min', 'max')}`,
  );
}

/** PostgreSQL statement over column arrays (rows merged per key first: see merge-upserts.ts). */
export function pgSessionUpsert(table: SessionTable): string {
  return pgRows(table, SESSION_COLUMNS, PG_TYPES, sessionConflictSql(table, 'LEAST', 'GREATEST'));
}

/** A session's bound values after its account, in COLUMNS order. */
export function sessionParams(s: SessionUpsert): unknown[] {
  return [s.id, s.visitorId, s.startedAt, s.lastSeenAt, ...landingParams(s.landing), s.eventCount, s.pageviewCount];
}
