// A PostgreSQL connection as queries see it: a pool, one-statement queries, and transactions that retry deadlocks.
import { createRequire } from 'node:module';
import type pg from 'pg';

/**
 * pg, loaded when the first PostgreSQL connection is made: it is most of this package's load time
 * (~0.2 s), which every SQLite process and thread (the collector's read threads, the inbox worker,
 * each CLI command) would otherwise pay at start for a driver it never uses.
 */
function loadPg(): typeof pg {
  // Node's require cache makes every call after the first a lookup.
  return createRequire(import.meta.url)('pg') as typeof pg;
}

/** What both the pool and a transaction's client can run. */
export interface PgQueryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface TransactionOptions {
  /** @default 'read committed' */
  isolation?: 'read committed' | 'repeatable read';
  /** @default false */
  readOnly?: boolean;
}

export interface PostgresConnection {
  readonly dialect: 'postgres';
  /** The database URL without its password, for error messages. */
  readonly location: string;
  readonly pool: pg.Pool;
  /** Rows of one statement, run on any pooled connection (autocommit). */
  rows<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /**
   * Runs `fn` in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when
   * it throws. A deadlock or serialization failure rolls back and runs `fn` again (a few times):
   * both mean "another transaction won this time", never "the data is wrong".
   */
  transaction<T>(fn: (client: PgQueryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

/** SQLSTATEs that mean "retry": serialization_failure, deadlock_detected, lock_not_available. */
const RETRYABLE = new Set(['40001', '40P01', '55P03']);
const TRANSACTION_TRIES = 4;
/** Longest wait for a new connection (or a free one from a full pool). */
const CONNECT_TIMEOUT_MS = 5000;

export function isRetryablePgError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * int8 (COUNT(*), bigint ms times, identity keys) and numeric (SUM of bigints) come back as numbers,
 * not pg's default strings: every value here is far below 2^53. Per pool, never pg's global types.
 */
const INT8 = 20;
const NUMERIC = 1700;
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC
      ? (value: string) => Number(value)
      : loadPg().types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** The URL as it may appear in messages and logs: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable postgres URL)';
  }
}

export interface PostgresPoolOptions {
  url: string;
  /** Schema every connection uses (search_path); already validated as an identifier. */
  schema?: string | undefined;
  /** @default 8 */
  poolSize?: number | undefined;
  /** What error messages call this database. @default the URL, password redacted */
  location?: string | undefined;
}

function beginStatement(options: TransactionOptions): string {
  const isolation = options.isolation === 'repeatable read' ? 'REPEATABLE READ' : 'READ COMMITTED';
  return `BEGIN ISOLATION LEVEL ${isolation}${options.readOnly === true ? ' READ ONLY' : ''}`;
}

export function createPostgresConnection(options: PostgresPoolOptions): PostgresConnection {
  const pool = new (loadPg().Pool)({
    connectionString: options.url,
    max: options.poolSize ?? 8,
    types: TYPES,
    // A server that stopped answering fails the connect (and the ingest request waiting on it)
    // within seconds instead of leaving it hanging; keepalive lets the OS notice a cut TCP path.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    // search_path set at connection start: every statement on every pooled connection sees the schema.
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // An idle pooled connection that the server drops emits 'error' on the pool; without a listener
  // that would crash the process. The next query simply opens a new connection.
  pool.on('error', () => {});
  // And every client keeps a listener of its own for its whole life: pg-pool removes its idle
  // listener when it hands a released client to the next waiter, whose own listener is attached a
  // microtask later; a FATAL parsed in the same socket chunk as the previous query's end (a
  // pg_terminate_backend right then) was emitted in between, unheard, and crashed the process
  // (seen once in CI: postgres-outage.integration.test.ts on Node 22). Queries in flight still fail
  // on their own, and a holder's listener (once(), below) still marks the client broken.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });

  async function once<T>(fn: (client: PgQueryable) => Promise<T>, begin: string): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    // pg-pool listens for errors only on idle clients: a connection dropped while this transaction
    // holds it (server restart, pg_terminate_backend, cut network) emits 'error' on the client, which
    // would crash the process unheard. The query in flight fails on its own; the client is discarded.
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  return {
    dialect: 'postgres',
    location: options.location ?? redactUrl(options.url),
    pool,
    async rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
      return (await pool.query<R>(sql, params)).rows;
    },
    async transaction<T>(fn: (client: PgQueryable) => Promise<T>, txOptions: TransactionOptions = {}): Promise<T> {
      const begin = beginStatement(txOptions);
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(fn, begin);
        } catch (error) {
          if (attempt >= TRANSACTION_TRIES || !isRetryablePgError(error)) throw error;
        }
      }
    },
  };
}
