// Applies the numbered SQL files under migrations/postgres/ once each, under an advisory lock, recording them in schema_migrations.
import { ensureCurrentPartitions } from '../queries/maintenance/maintain.js';
import { StorageError } from '../storage-error.js';
import type { MigrateOptions } from '../storage.js';
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
  const found = await client.query<{ n: number }>(
    "SELECT COUNT(*) AS n FROM pg_partitioned_table AS p JOIN pg_class AS c ON c.oid = p.partrelid WHERE c.oid IN (to_regclass('inbox'), to_regclass('events'))",
  );
  return found.rows[0]?.n === 2;
}

/** Takes the per-schema migration lock for the rest of `client`'s transaction. */
async function lockMigrations(client: PgQueryable): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock($1, hashtext(current_setting('search_path')))", [
    MIGRATION_LOCK_CLASS,
  ]);
}

/**
 * Applies every migration not yet recorded, each in its own transaction under the same
 * transaction-level advisory lock (per schema) and checking the ledger again first: several
 * processes starting at once serialize, and each migration runs once, in order. PostgreSQL's DDL
 * is transactional, so a failing migration leaves the schema as the previous one left it; a killed
 * process leaves every committed migration applied, and the next call resumes at the one that was
 * running. Progress goes to `options.onProgress`.
 * `schema`, when given, is created first (the connection's search_path already names it).
 */
export async function migratePostgres(
  conn: PostgresConnection,
  schema?: string,
  dir: URL = POSTGRES_MIGRATIONS_DIR,
  now: () => number = Date.now,
  options: MigrateOptions = {},
): Promise<void> {
  const migrations = await readMigrations(dir);
  let current = '(ledger)';
  try {
    const applied = await conn.transaction(async (client) => {
      await lockMigrations(client);
      // The schema name comes from the validated URL (an identifier allowlist), never from data.
      if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(CREATE_LEDGER);
      return new Set(
        (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
      );
    });
    const pending = migrations.filter((m) => !applied.has(m.version));
    const upgrade = applied.size > 0;
    for (const [i, migration] of pending.entries()) {
      current = migration.name;
      const step = { name: migration.name, index: i + 1, total: pending.length, upgrade };
      options.onProgress?.({ phase: 'start', ...step });
      const started = performance.now();
      await conn.transaction(async (client) => {
        await lockMigrations(client);
        if (
          (await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version])).rows.length >
          0
        )
          return;
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          now(),
        ]);
      });
      options.onProgress?.({ phase: 'done', ...step, ms: performance.now() - started });
    }
    current = '(partitions)';
    // The current months' partitions exist from the start; the collector's maintain() keeps creating them ahead.
    await conn.transaction(async (client) => {
      await lockMigrations(client);
      if (await partitioned(client)) await ensureCurrentPartitions(client, now());
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new StorageError(
      'migration_failed',
      `migration ${current} failed on postgres storage ${conn.location}: ${message}`,
      { cause: error },
    );
  }
}
