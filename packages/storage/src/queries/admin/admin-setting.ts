// adminSetting: one dashboard administration setting (e.g. the admin password hash), or null when unset.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { AdminSettingName } from '../../storage.js';

const SQLITE_READ = 'SELECT value FROM admin_settings WHERE name = ?';
const PG_READ = 'SELECT value FROM admin_settings WHERE name = $1';

export function adminSetting(conn: Connection, name: AdminSettingName): Promise<string | null> {
  return runQuery(conn, 'adminSetting', {
    sqlite: (c) => c.statement<[string], { value: string }>(SQLITE_READ).get(name)?.value ?? null,
    postgres: async (c) => (await c.rows<{ value: string }>(PG_READ, [name]))[0]?.value ?? null,
  });
}
