// Applies the numbered SQL files under migrations/sqlite/ once each, recording them in schema_migrations.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { StorageError } from '../storage-error.js';
import type { MigrateOptions } from '../storage.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** migrations/ sits at the package root, two levels above both src/dialects/ and dist/dialects/. */
export const SQLITE_MIGRATIONS_DIR = new URL('../../migrations/sqlite/', import.meta.url);

const FILE_NAME = /^(\d+)-[a-z0-9-]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migration files in `dir`, by version; a malformed name or a repeated version is an error. */
export async function readMigrations(dir: URL): Promise<Migration[]> {
  try {
    return await readMigrationFiles(dir);
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw new StorageError('migration_failed', `cannot read migrations from ${fileURLToPath(dir)}: ${String(error)}`, {
      cause: error,
    });
  }
}

async function readMigrationFiles(dir: URL): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql'));
  const migrations: Migration[] = [];
  for (const name of names) {
    const match = FILE_NAME.exec(name);
    if (match === null) {
      throw new StorageError(
        'migration_failed',
        `migration file ${name} in ${fileURLToPath(dir)} must be named <number>-<kebab-name>.sql`,
      );
    }
    migrations.push({ version: Number(match[1]), name, sql: await readFile(new URL(name, dir), 'utf8') });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    const [prev, cur] = [migrations[i - 1] as Migration, migrations[i] as Migration];
    if (prev.version === cur.version) {
      throw new StorageError(
        'migration_failed',
        `migrations ${prev.name} and ${cur.name} in ${fileURLToPath(dir)} share version ${cur.version}`,
      );
    }
  }
  return migrations;
}

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`;

/**
 * Applies every migration not yet recorded, each in its own BEGIN IMMEDIATE transaction that
 * checks the ledger again first: several processes migrating at once serialize on the write lock
 * and each migration runs once, in order (a process applies one only after every earlier one is
 * recorded). A failing migration leaves the schema as the previous one left it; a killed process
 * leaves every committed migration applied, and the next call resumes at the one that was running.
 * Progress goes to `options.onProgress`. better-sqlite3 is synchronous: a migration that builds the
 * read model from a big database holds the calling thread until it commits.
 */
export async function migrateSqlite(
  conn: SqliteConnection,
  dir: URL = SQLITE_MIGRATIONS_DIR,
  now: () => number = Date.now,
  options: MigrateOptions = {},
): Promise<void> {
  const migrations = await readMigrations(dir);
  const { db } = conn;
  let current = '(ledger)';
  try {
    db.transaction(() => {
      db.exec(CREATE_LEDGER);
    }).immediate();
    const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
    const pending = migrations.filter((m) => !applied.has(m.version));
    const upgrade = applied.size > 0;
    const recorded = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const [i, migration] of pending.entries()) {
      current = migration.name;
      const step = { name: migration.name, index: i + 1, total: pending.length, upgrade };
      options.onProgress?.({ phase: 'start', ...step });
      const started = performance.now();
      db.transaction(() => {
        if (recorded.get(migration.version) !== undefined) return;
        db.exec(migration.sql);
        record.run(migration.version, migration.name, now());
      }).immediate();
      options.onProgress?.({ phase: 'done', ...step, ms: performance.now() - started });
    }
    // A migration that builds a read model writes whole tables into the log (a fresh database's
    // schema alone is near 1 MiB): empty it now, or the first writes would meet the WAL bound and
    // be refused until the checkpointer caught up. A reader elsewhere only makes this a no-op.
    if (pending.length > 0) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new StorageError(
      'migration_failed',
      `migration ${current} failed on sqlite storage ${conn.location}: ${message}`,
      { cause: error },
    );
  }
}
