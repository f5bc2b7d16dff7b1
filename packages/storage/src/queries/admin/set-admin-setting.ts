// setAdminSetting: sets one dashboard administration setting, replacing any earlier value.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { AdminSettingName } from '../../storage.js';

const SQLITE_WRITE = `INSERT INTO admin_settings (name, value, updated_at) VALUES (?, ?, ?)
  ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;
const PG_WRITE = `INSERT INTO admin_settings (name, value, updated_at) VALUES ($1, $2, $3)
  ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;

export function setAdminSetting(conn: Connection, name: AdminSettingName, value: string, now: number): Promise<void> {
  return runQuery(conn, 'setAdminSetting', {
    sqlite: (c) => {
      c.statement<[string, string, number]>(SQLITE_WRITE).run(name, value, now);
    },
    postgres: async (c) => {
      await c.rows(PG_WRITE, [name, value, now]);
    },
  });
}
