// A second, plain connection to a test storage's database, for running the raw-row oracle queries beside it.
import Database from 'better-sqlite3';
import type { Connection } from '../../dialects/dialects.js';
import { createPostgresConnection } from '../../dialects/postgres-connection.js';
import { parsePostgresUrl } from '../../dialects/postgres.js';
import { createSqliteConnection } from '../../dialects/sqlite-connection.js';
import type { TestStorage } from '../storage-factories.js';

export interface RawConnection {
  conn: Connection;
  close(): Promise<void>;
}

export function openRawConnection(db: Pick<TestStorage, 'url' | 'storage'>): RawConnection {
  if (db.storage.dialect === 'postgres') {
    const { url, schema } = parsePostgresUrl(db.url);
    const conn = createPostgresConnection({ url, schema, poolSize: 2 });
    return { conn, close: () => conn.pool.end() };
  }
  const sqlite = new Database(db.url, { readonly: true });
  return {
    conn: createSqliteConnection(sqlite, db.url),
    close: async () => {
      sqlite.close();
    },
  };
}
