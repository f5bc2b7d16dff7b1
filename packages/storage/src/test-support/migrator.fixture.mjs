// Test fixture (child process): migrates a SQLite file or a PostgreSQL schema from a migrations directory, printing each progress step as a JSON line.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
const { createSqliteConnection } = await import('../dialects/sqlite-connection.js');
const { migrateSqlite } = await import('../dialects/sqlite-migrations.js');
const { createPostgresConnection } = await import('../dialects/postgres-connection.js');
const { migratePostgres } = await import('../dialects/postgres-migrations.js');
const { default: Database } = await import('better-sqlite3');

// Usage: node migrator.fixture.mjs sqlite FILE DIR_URL | postgres URL SCHEMA DIR_URL
const [dialect, target, a, b] = process.argv.slice(2);
// Writes to a pipe are synchronous on Linux: a step's line is out before the migration runs.
const onProgress = (step) => {
  process.stdout.write(`${JSON.stringify(step)}\n`);
};
if (dialect === 'sqlite') {
  const conn = createSqliteConnection(new Database(target), target);
  await migrateSqlite(conn, new URL(a), Date.now, { onProgress });
  conn.db.close();
} else {
  const conn = createPostgresConnection({ url: target, schema: a, poolSize: 1 });
  await migratePostgres(conn, a, new URL(b), Date.now, { onProgress });
  await conn.pool.end();
}
process.stdout.write('finished\n');
