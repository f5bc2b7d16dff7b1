// loadActiveKeys: every unrevoked key of every account, for the collector's in-memory key cache.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { ApiKeyRecord } from '../../storage.js';
import { KEY_COLUMNS, toKey, type KeyRow } from './key-row.js';

const SQLITE_ACTIVE = `SELECT ${KEY_COLUMNS} FROM api_keys WHERE revoked_at IS NULL ORDER BY account_id, created_at, id`;

export function loadActiveKeys(conn: Connection): Promise<ApiKeyRecord[]> {
  return runQuery(conn, 'loadActiveKeys', {
    sqlite: (c) => c.statement<[], KeyRow>(SQLITE_ACTIVE).all().map(toKey),
    // Same text: nothing dialect-specific in it.
    postgres: async (c) => (await c.rows<KeyRow>(SQLITE_ACTIVE)).map(toKey),
  });
}
