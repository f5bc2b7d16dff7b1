// Applies the numbered SQL files under migrations/postgres/ once each, under an advisory lock, recording them in schema_migrations.
import { ensureCurrentPartitions } from '../queries/maintenance/maintain.js';
import { StorageError } from '../storage-error.js';
import type { PgQueryable, PostgresConnection } from './postgres-connection.js';
import { readMigrations } from './sqlite-migrations.js';

/** migrations/ sits at the package root, two levels above both src/dialects/ and dist/dialects/. */
export const POSTGRES_MIGRATIONS_DIR = new URL('../../migrations/postgres/', import.meta.url);

/** First half of the advisory lock key: "Touchline migrations"; the second half hashes the search_path, so each schema migrates on its own. */
const MIGRATION_LOCK_CLASS = 0x70c4;

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`;

/** Whether this schema has the partitioned tables (a custom migrations directory in tests may not). */
async function partitioned(client: PgQueryable): Promise<boolean> {
  const found = await client.query<{ n: number }>("SELECT COUNT(*) AS n FROM pg_partitioned_table AS p JOIN pg_class AS c ON c.oid = p.partrelid WHERE c.oid IN (to_regclass('inbox'), to_regclass('events'))");
  return found.rows[0]?.n === 2;
}

/**
 * Applies every migration not yet recorded, all in one transaction. Several processes starting at
 * once each take the same transaction-level advisory lock (per schema) first: the first migrates,
 * the others wait for its COMMIT and then find everything recorded. PostgreSQL's DDL is
 * transactional, so a failing migration leaves the schema exactly as it was.
 * `schema`, when given, is created first (the connection's search_path already names it).
 */
export async function migratePostgres(conn: PostgresConnection, schema?: string, dir: URL = POSTGRES_MIGRATIONS_DIR, now: () => number = Date.now): Promise<void> {
  const migrations = await readMigrations(dir);
  let current = '(ledger)';
  try {
    await conn.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext(current_setting('search_path')))", [MIGRATION_LOCK_CLASS]);
      // The schema name comes from the validated URL (an identifier allowlist), never from data.
      if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(CREATE_LEDGER);
      const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        current = migration.name;
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, now()]);
      }
      current = '(partitions)';
      // The current months' partitions exist from the start; the collector's maintain() keeps creating them ahead.
      if (await partitioned(client)) await ensureCurrentPartitions(client, now());
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new StorageError('migration_failed', `migration ${current} failed on postgres storage ${conn.location}: ${message}`, { cause: error });
  }
}
