// The api_keys row as the database returns it, and its mapping to the contract's ApiKeyRecord.
import type { ApiKeyRecord, KeyMode, KeyScope } from '../../storage.js';

export interface KeyRow {
  id: string;
  account_id: string;
  prefix: string;
  hash: string;
  mode: string;
  scopes: string;
  created_at: number;
  revoked_at: number | null;
}

export const KEY_COLUMNS = 'id, account_id, prefix, hash, mode, scopes, created_at, revoked_at';

export function toKey(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    prefix: row.prefix,
    hash: row.hash,
    // The table's CHECK constraint and insertKey's typed input keep these within the unions.
    mode: row.mode as KeyMode,
    scopes: JSON.parse(row.scopes) as KeyScope[],
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
