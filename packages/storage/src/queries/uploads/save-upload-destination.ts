// saveUploadDestination: creates a conversion-upload destination or replaces the one with the same id (its createdAt kept).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { UploadDestination, UploadPlatform } from '../../upload-definitions.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

const COLUMNS =
  'id, name, platform, endpoint_url, token, developer_token, conversion_action, conversion_types, send_user_data, enabled, created_at, updated_at';
const UPSERT_TAIL = `ON CONFLICT (account_key, id) DO UPDATE SET
    name = excluded.name, platform = excluded.platform, endpoint_url = excluded.endpoint_url, token = excluded.token,
    developer_token = excluded.developer_token, conversion_action = excluded.conversion_action,
    conversion_types = excluded.conversion_types, send_user_data = excluded.send_user_data, enabled = excluded.enabled,
    updated_at = excluded.updated_at
  RETURNING ${COLUMNS}`;
const SQLITE_UPSERT = `INSERT INTO upload_destinations (account_key, ${COLUMNS})
  VALUES (${ACCOUNT_KEY_OF}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ${UPSERT_TAIL}`;
const PG_UPSERT = `INSERT INTO upload_destinations (account_key, ${COLUMNS})
  VALUES (${pgAccountKeyOf(1)}, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ${UPSERT_TAIL}`;

/** The destination columns every destination query selects. */
export const DESTINATION_COLUMNS = COLUMNS;

export interface DestinationRow {
  id: string;
  name: string;
  platform: UploadPlatform;
  endpoint_url: string;
  token: string;
  developer_token: string | null;
  conversion_action: string | null;
  conversion_types: string;
  send_user_data: number | boolean;
  enabled: number | boolean;
  created_at: number | string;
  updated_at: number | string;
}

function types(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return []; // a hand-edited value sends nothing rather than failing every pass (DESIGN.md L11)
  }
}

/** SQLite stores booleans as 0/1 and PostgreSQL returns bigint as text: both become the same UploadDestination. */
export const toDestination = (r: DestinationRow): UploadDestination => ({
  id: r.id,
  name: r.name,
  platform: r.platform,
  endpointUrl: r.endpoint_url,
  token: r.token,
  developerToken: r.developer_token,
  conversionAction: r.conversion_action,
  conversionTypes: types(r.conversion_types),
  sendUserData: Boolean(r.send_user_data),
  enabled: Boolean(r.enabled),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export function saveUploadDestination(
  conn: Connection,
  accountId: string,
  d: UploadDestination,
): Promise<UploadDestination> {
  const head = [
    accountId,
    d.id,
    d.name,
    d.platform,
    d.endpointUrl,
    d.token,
    d.developerToken,
    d.conversionAction,
    JSON.stringify(d.conversionTypes),
  ];
  return runQuery(conn, 'saveUploadDestination', {
    sqlite: (c) =>
      toDestination(
        c
          .statement<unknown[], DestinationRow>(SQLITE_UPSERT)
          .get(...head, d.sendUserData ? 1 : 0, d.enabled ? 1 : 0, d.createdAt, d.updatedAt) as DestinationRow,
      ),
    postgres: async (c) =>
      toDestination(
        (
          await c.rows<DestinationRow>(PG_UPSERT, [...head, d.sendUserData, d.enabled, d.createdAt, d.updatedAt])
        )[0] as DestinationRow,
      ),
  });
}
