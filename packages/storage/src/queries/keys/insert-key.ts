// insertKey: stores a new API key (its hash and prefix, never the secret).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { ApiKeyRecord } from '../../storage.js';

const SQLITE_INSERT = `INSERT INTO api_keys (id, account_id, prefix, hash, mode, scopes, created_at, revoked_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

export function insertKey(conn: Connection, key: ApiKeyRecord): Promise<void> {
  return runQuery(conn, 'insertKey', {
    sqlite: (c) => {
      c.statement(SQLITE_INSERT).run(
        key.id, key.accountId, key.prefix, key.hash, key.mode, JSON.stringify(key.scopes), key.createdAt, key.revokedAt,
      );
    },
  });
}
