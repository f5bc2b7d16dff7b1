// Test storages of both dialects: a fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Dialect, Storage } from '../storage.js';
import { openStorage } from '../open-storage.js';
import { partialAllowed, recordPartial } from './partial-run.js';
import { makeTempDir } from './temp-storage.js';

/** The test database; trust auth on loopback, as on the project's machines. */
export const DEFAULT_TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStorage {
  storage: Storage;
  /** A URL openStorage accepts for the same database (and schema): for a second connection or a child process. */
  url: string;
  /** Closes `storage` and deletes the database (file or schema). Other instances on `url` must be closed first. */
  remove(): Promise<void>;
}

export interface StorageFactory {
  readonly dialect: Dialect;
  /** A new, empty, migrated storage of this dialect. */
  open(): Promise<TestStorage>;
}

export function testPgUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.TOUCHLINE_TEST_PG_URL ?? DEFAULT_TEST_PG_URL;
}

/** `url` with `schema=<name>` added to its query string. */
export function withSchema(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`;
}

/** Rows of `text`, run directly (not through Storage) in the schema a test storage URL names. */
export async function queryTestSchema<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: parsed.toString(), options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

export const sqliteFactory: StorageFactory = {
  dialect: 'sqlite',
  async open() {
    const tmp = await makeTempDir();
    const url = tmp.file('test.db');
    const storage = openStorage(url);
    await storage.migrate();
    return {
      storage,
      url,
      remove: async () => {
        await storage.close();
        await tmp.remove();
      },
    };
  },
};

/** Each storage lives in its own schema (t_<random>), so parallel test workers never see each other's rows. */
export function postgresFactory(baseUrl: string = testPgUrl()): StorageFactory {
  return {
    dialect: 'postgres',
    async open() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const url = withSchema(baseUrl, schema);
      // A small pool: many test files run at once against one server's connection limit.
      const storage = openStorage(`${url}&pool=4`);
      await storage.migrate();
      return {
        storage,
        url,
        remove: async () => {
          await storage.close();
          await dropSchema(baseUrl, schema);
        },
      };
    },
  };
}

/** Whether the server answers, and if not, why. */
export async function probePostgres(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

function unreachableFactory(url: string, reason: string): StorageFactory {
  return {
    dialect: 'postgres',
    open: () =>
      Promise.reject(
        new Error(
          `PostgreSQL test database ${url} is unreachable (${reason}): start PostgreSQL or set TOUCHLINE_TEST_PG_URL ` +
            '(locally, TOUCHLINE_ALLOW_PARTIAL=1 runs the SQLite half only; never under CI=true).',
        ),
      ),
  };
}

/**
 * [sqlite, postgres] for describe.each. When PostgreSQL cannot be reached, its factory stays in
 * and every test using it fails with the reason; only with TOUCHLINE_ALLOW_PARTIAL=1 (never
 * under CI=true) is it left out, with a warning and a line in the run's closing summary.
 * `file`: the calling test file (import.meta.url), named in that summary.
 */
export async function storageFactories(
  env: NodeJS.ProcessEnv = process.env,
  file = 'a test file',
): Promise<StorageFactory[]> {
  const url = testPgUrl(env);
  const problem = await probePostgres(url);
  if (problem === null) return [sqliteFactory, postgresFactory(url)];
  if (!partialAllowed(env)) return [sqliteFactory, unreachableFactory(url, problem)];
  process.stderr.write(
    `[touchline tests] WARNING: PostgreSQL at ${url} unreachable (${problem}): running the SQLite dialect only\n`,
  );
  recordPartial('PostgreSQL half', file);
  return [sqliteFactory];
}
