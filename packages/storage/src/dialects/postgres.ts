// The PostgreSQL dialect: a connection pool on a postgres:// URL, serving the Storage contract.
import { bindQueries } from '../queries/bind-queries.js';
import { StorageError } from '../storage-error.js';
import type { DiskUsage, Storage } from '../storage.js';
import { runQuery } from './dialects.js';
import { createPostgresConnection, redactUrl } from './postgres-connection.js';
import { migratePostgres } from './postgres-migrations.js';

export interface PostgresStorageOptions {
  /**
   * `postgres://user[:password]@host[:port]/database`, with optional query parameters
   * `schema=<name>` (tables live in that schema, created by migrate()) and `pool=<n>` (pool size);
   * every other parameter is node-postgres's own (sslmode, …).
   */
  url: string;
}

/** Schema names reach SQL as identifiers, so only this shape is accepted. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

interface ParsedPostgresUrl {
  url: string;
  schema: string | undefined;
  poolSize: number | undefined;
}

/** Splits Touchline's own parameters (schema, pool) off the URL; a bad value is an invalid_url error. */
export function parsePostgresUrl(url: string): ParsedPostgresUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StorageError(
      'invalid_url',
      `postgres storage URL ${redactUrl(url)} cannot be parsed: expected postgres://user@host:port/database`,
    );
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  const pool = parsed.searchParams.get('pool') ?? undefined;
  if (schema !== undefined && !IDENTIFIER.test(schema)) {
    throw new StorageError(
      'invalid_url',
      `postgres storage URL parameter schema="${schema}" must be a lower-case identifier ([a-z_][a-z0-9_]*, at most 63 characters)`,
    );
  }
  const poolSize = pool === undefined ? undefined : Number(pool);
  if (poolSize !== undefined && (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 100)) {
    throw new StorageError('invalid_url', `postgres storage URL parameter pool="${pool}" must be an integer 1-100`);
  }
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('pool');
  return { url: parsed.toString(), schema, poolSize };
}

/**
 * Opens PostgreSQL storage. Nothing connects until the first query: call `migrate()` before first
 * use, which also tells whether the server is reachable. Several processes (collectors) may share
 * one database: claims use FOR UPDATE SKIP LOCKED plus leases, writes are transactions.
 */
export function openPostgresStorage(options: PostgresStorageOptions): Storage {
  const { url, schema, poolSize } = parsePostgresUrl(options.url);
  // Messages name the URL as given (schema included), never its password.
  const conn = createPostgresConnection({ url, schema, poolSize, location: redactUrl(options.url) });
  let closed = false;
  return {
    dialect: 'postgres',
    migrate: (migrateOptions) => migratePostgres(conn, schema, undefined, undefined, migrateOptions),
    close: async () => {
      if (closed) return;
      closed = true;
      await conn.pool.end();
    },
    // The WAL and the free disk are the server's to watch (pg_stat_wal, its own monitoring).
    diskUsage: async (): Promise<DiskUsage> => {
      const size = await runQuery(conn, 'diskUsage', {
        sqlite: () => null,
        postgres: async (c) =>
          (await c.rows<{ bytes: number }>('SELECT pg_database_size(current_database())::float8 AS bytes'))[0]?.bytes ??
          null,
      });
      return { databaseBytes: size, walBytes: null, walLimitBytes: null, freeBytes: null, checkpoints: null };
    },
    ...bindQueries(conn),
  };
}
