// insertKey: stores a new API key (its hash and prefix, never the secret).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { ApiKeyRecord } from '../../storage.js';

const SQLITE_INSERT = `INSERT INTO api_keys (id, account_id, prefix, hash, mode, scopes, created_at, revoked_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
const PG_INSERT = `INSERT INTO api_keys (id, account_id, prefix, hash, mode, scopes, created_at, revoked_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

export function insertKey(conn: Connection, key: ApiKeyRecord): Promise<void> {
  return runQuery(conn, 'insertKey', {
    sqlite: (c) => {
      c.statement(SQLITE_INSERT).run(
        key.id,
        key.accountId,
        key.prefix,
        key.hash,
        key.mode,
        JSON.stringify(key.scopes),
        key.createdAt,
        key.revokedAt,
      );
    },
    postgres: async (c) => {
      await c.rows(PG_INSERT, [
        key.id,
        key.accountId,
        key.prefix,
        key.hash,
        key.mode,
        JSON.stringify(key.scopes),
        key.createdAt,
        key.revokedAt,
      ]);
    },
  });
}
