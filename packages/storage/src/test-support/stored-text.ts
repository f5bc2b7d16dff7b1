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
    return [url, `${url}-wal`]
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
  }
  const tables = await queryTestSchema<{ name: string }>(
    url,
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  const texts: string[] = [];
  for (const { name } of tables) {
    if (!/^[a-z_0-9]+$/.test(name)) throw new Error(`unexpected table name ${name}`);
    const rows = await queryTestSchema<{ t: string }>(url, `SELECT t::text AS t FROM ${name} t`);
    texts.push(`${name}: ${rows.map((r) => r.t).join('\n')}`);
  }
  return texts.join('\n');
}

/**
 * Where `id` is stored, for a failure message: SQLite file (db or wal), page number and offset with
 * the printable bytes around it; PostgreSQL table names. Empty when it is nowhere.
 */
export async function whereStored(dialect: Dialect, url: string, id: string): Promise<string[]> {
  const found: string[] = [];
  if (dialect === 'sqlite') {
    for (const [name, file] of [
      ['db', url],
      ['wal', `${url}-wal`],
    ] as const) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file).toString('latin1');
      for (let at = bytes.indexOf(id); at >= 0; at = bytes.indexOf(id, at + 1)) {
        const around = bytes.slice(Math.max(0, at - 60), at + id.length + 60).replace(/[^\x20-\x7e]/g, '.');
        found.push(`${name} (${bytes.length} bytes) offset ${at}, 4 KiB page ${Math.floor(at / 4096) + 1}: ${around}`);
      }
    }
    return found;
  }
  const tables = await queryTestSchema<{ name: string }>(
    url,
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  for (const { name } of tables) {
    if (!/^[a-z_0-9]+$/.test(name)) throw new Error(`unexpected table name ${name}`);
    const rows = await queryTestSchema<{ t: string }>(url, `SELECT t::text AS t FROM ${name} t`);
    for (const r of rows) if (r.t.includes(id)) found.push(`${name}: ${r.t}`);
  }
  return found;
}
