// revokeKey: marks a key revoked; false if there is no such key. Revoking twice keeps the first time.
import { runQuery, type Connection } from '../../dialects/dialects.js';

// SQLite counts a matched row as changed even when COALESCE leaves the value as it was.
const SQLITE_REVOKE = 'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?';
// PostgreSQL likewise counts every matched row in rowCount.
const PG_REVOKE = 'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2';

export function revokeKey(conn: Connection, keyId: string, now: number): Promise<boolean> {
  return runQuery(conn, 'revokeKey', {
    sqlite: (c) => c.statement<[number, string]>(SQLITE_REVOKE).run(now, keyId).changes > 0,
    postgres: async (c) => ((await c.pool.query(PG_REVOKE, [now, keyId])).rowCount ?? 0) > 0,
  });
}
