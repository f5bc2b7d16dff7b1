// Test helper: everything a database holds as one string to search for ids: SQLite's main file and WAL bytes, or every PostgreSQL table's rows as text.
import { existsSync, readFileSync } from 'node:fs';
import type { Dialect } from '../storage.js';
import { queryTestSchema } from './storage-factories.js';

/**
 * SQLite: the raw bytes of the database file and its write-ahead log (deleted cells left in free
 * space or old page images in the WAL are found too). PostgreSQL: every base table of the test's
 * schema, each row as text (the server's own heap and WAL files are the administrator's, docs/privacy.md).
 */
export async function storedText(dialect: Dialect, url: string): Promise<string> {
  if (dialect === 'sqlite') {
    return [url, `${url}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('\n');
  }
  const tables = await queryTestSchema<{ name: string }>(url,
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
  const texts: string[] = [];
  for (const { name } of tables) {
    if (!/^[a-z_0-9]+$/.test(name)) throw new Error(`unexpected table name ${name}`);
    const rows = await queryTestSchema<{ t: string }>(url, `SELECT t::text AS t FROM ${name} t`);
    texts.push(`${name}: ${rows.map((r) => r.t).join('\n')}`);
  }
  return texts.join('\n');
}
