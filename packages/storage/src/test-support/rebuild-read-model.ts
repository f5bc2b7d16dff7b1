// Test helper: the read model's tables as stored, and as the migrations' backfills build them from the raw rows that are left.
import { readFile } from 'node:fs/promises';
import { rawExec, rawRows } from './raw-sql.js';
import type { TestStorage } from './storage-factories.js';

/** Every read-model table but session_spans (an upper bound that only grows, so a rebuild may be tighter), sorted by key. */
export const READ_MODEL_TABLES = {
  rollup_dims: 'SELECT account_key, dim, hour, value, sessions FROM rollup_dims ORDER BY 1, 2, 3, 4',
  visitor_hours: 'SELECT account_key, dim, value, visitor_id, hour, sessions FROM visitor_hours ORDER BY 1, 2, 3, 4, 5',
  visitor_gaps: 'SELECT account_key, dim, hour, value, prev_hour, visitors FROM visitor_gaps ORDER BY 1, 2, 3, 4, 5',
  visitor_days: 'SELECT account_key, day, visitors FROM visitor_days ORDER BY 1, 2',
  rollup_items:
    'SELECT account_key, hour, events, conversions, revenue_units, revenue_micros FROM rollup_items ORDER BY 1, 2',
  path_steps:
    'SELECT account_key, day, prev_day, prev_channel, channel, sessions FROM path_steps ORDER BY 1, 2, 3, 4, 5',
  path_ends: 'SELECT account_key, day, next_day, channel, sessions FROM path_ends ORDER BY 1, 2, 3, 4',
};

export async function readModelRows(
  db: Pick<TestStorage, 'url' | 'storage'>,
  tables: Record<string, string> = READ_MODEL_TABLES,
): Promise<unknown[][]> {
  return Promise.all(Object.values(tables).map((sql) => rawRows(db, sql)));
}

/**
 * Empties the read model and builds it again with the migrations' own SQL: the first rollups
 * migration builds rollup_sessions (and the item rollups) from raw rows; the visitor-gaps migration
 * turns rollup_sessions into the visitor-free tables and drops it; the utm migration then adds
 * dimensions 4-6 from the sessions; the path-steps migration counts every visitor's path; the
 * visitor-days migration counts each day's distinct visitors from visitor_hours.
 */
export async function rebuildReadModel(db: Pick<TestStorage, 'url' | 'storage'>): Promise<void> {
  const [first, second, third, fourth, fifth] =
    db.storage.dialect === 'sqlite'
      ? [
          'sqlite/009-rollups.sql',
          'sqlite/010-visitor-gaps.sql',
          'sqlite/015-utm-dimensions.sql',
          'sqlite/023-path-steps.sql',
          'sqlite/024-visitor-days.sql',
        ]
      : [
          'postgres/008-rollups.sql',
          'postgres/009-visitor-gaps.sql',
          'postgres/014-utm-dimensions.sql',
          'postgres/022-path-steps.sql',
          'postgres/023-visitor-days.sql',
        ];
  const rollups = await readFile(new URL(`../../migrations/${first}`, import.meta.url), 'utf8');
  const gaps = await readFile(new URL(`../../migrations/${second}`, import.meta.url), 'utf8');
  const utm = await readFile(new URL(`../../migrations/${third}`, import.meta.url), 'utf8');
  const paths = await readFile(new URL(`../../migrations/${fourth}`, import.meta.url), 'utf8');
  const days = await readFile(new URL(`../../migrations/${fifth}`, import.meta.url), 'utf8');
  const createSessions = rollups.slice(
    rollups.indexOf('CREATE TABLE rollup_sessions'),
    rollups.indexOf('CREATE TABLE rollup_items'),
  );
  const backfill = rollups.slice(rollups.indexOf('INSERT INTO rollup_sessions'));
  await rawExec(
    db,
    `DELETE FROM rollup_dims; DELETE FROM visitor_hours; DELETE FROM visitor_gaps; DELETE FROM rollup_items;
    DELETE FROM session_spans; ${createSessions} ${backfill} ${gaps.slice(gaps.indexOf('INSERT INTO rollup_dims'))}
    ${utm.slice(utm.indexOf('INSERT INTO rollup_dims'))}
    DELETE FROM path_steps; DELETE FROM path_ends; ${paths.slice(paths.indexOf('CREATE TEMP TABLE path_backfill'))}
    DELETE FROM visitor_days; ${days.slice(days.indexOf('INSERT INTO visitor_days'))}`,
  );
}
