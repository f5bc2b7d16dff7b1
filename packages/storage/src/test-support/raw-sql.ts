// Test helper: SQL run directly against a test storage's database (not through Storage), on either dialect.
import Database from 'better-sqlite3';
import pg from 'pg';
import type { TestStorage } from './storage-factories.js';

/** bigint (int8) and numeric as numbers, as the storage's own pool reads them (all far below 2^53 here). */
const NUMBERS: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 || oid === 1700
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

async function pgRows(url: string, ...sqls: string[]): Promise<unknown[][]> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('pool');
  const client = new pg.Client({
    connectionString: parsed.toString(),
    options: `-c search_path=${schema}`,
    types: NUMBERS,
  });
  await client.connect();
  try {
    const out: unknown[][] = [];
    for (const sql of sqls) out.push((await client.query(sql)).rows);
    return out;
  } finally {
    await client.end();
  }
}

/** Rows of each of `sqls`, on one connection of its own (SQLite: the file; PostgreSQL: the test's schema). */
export async function rawRowsOf<R = Record<string, unknown>>(
  db: Pick<TestStorage, 'url' | 'storage'>,
  sqls: string[],
): Promise<R[][]> {
  if (db.storage.dialect === 'postgres') return pgRows(db.url, ...sqls) as Promise<R[][]>;
  const conn = new Database(db.url, { readonly: true });
  try {
    return sqls.map((sql) => conn.prepare(sql).all() as R[]);
  } finally {
    conn.close();
  }
}

/** Rows of `sql` on a connection of its own. */
export async function rawRows<R = Record<string, unknown>>(
  db: Pick<TestStorage, 'url' | 'storage'>,
  sql: string,
): Promise<R[]> {
  return (await rawRowsOf<R>(db, [sql]))[0] as R[];
}

/** Runs a statement that returns no rows. */
export async function rawExec(db: Pick<TestStorage, 'url' | 'storage'>, sql: string): Promise<void> {
  if (db.storage.dialect === 'postgres') {
    await pgRows(db.url, sql);
    return;
  }
  const conn = new Database(db.url);
  try {
    conn.exec(sql);
  } finally {
    conn.close();
  }
}
