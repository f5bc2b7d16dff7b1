// Bench: where the bytes at rest go, per table and its indexes, divided by the items the data set holds (issue 15 item 4).
// Loads `touchline demo --mix realistic` into a fresh SQLite file (or a PostgreSQL database), optionally
// runs one maintenance pass as `touchline serve` would at start (inbox pruning and payload compaction),
// and prints bytes per item per table. Usage:
//   node bench/bytes-per-item.mjs [--days 30] [--sessions-per-day 2000] [--db FILE.db | postgres://.../NEW_DB] [--keep]
//   node bench/bytes-per-item.mjs --data FILE.db --items N        (measure an existing file as it is)
//   node bench/bytes-per-item.mjs --data postgres://.../DB --items N
//   add --maintain [--payload-days 2] to run the collector's inbox maintenance (prune, compact) once, measuring before and after it;
//   add --out FILE to write the result file the README's bytes-at-rest block is rendered from.
// SQLite: page bytes per b-tree from `dbstat` (what the file holds, free pages listed apart).
// PostgreSQL: pg_table_size and pg_indexes_size per table, partitions counted with their parent, after VACUUM.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machine, writeResult } from './figures/result-file.mjs';
import { settleCollector } from './settle-collector.mjs';
import Database from 'better-sqlite3';
import pg from 'pg';

const BIN = fileURLToPath(new URL('../packages/cli/bin/touchline.mjs', import.meta.url));
const NOW = '2026-12-05T12:00:00Z';

function loadDemo(db, days, perDay) {
  const t = performance.now();
  const run = spawnSync(
    process.execPath,
    [
      BIN,
      'demo',
      '--db',
      db,
      '--days',
      String(days),
      '--sessions-per-day',
      String(perDay),
      '--mix',
      'realistic',
      '--now',
      NOW,
      '--json',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  if (run.status !== 0) throw new Error(`demo failed: ${run.stderr}`);
  return { ...JSON.parse(run.stdout.trim().split('\n').pop()), loadSeconds: (performance.now() - t) / 1000 };
}

function sqliteBreakdown(file) {
  const db = new Database(file, { readonly: true });
  try {
    const owner = new Map(
      db
        .prepare("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')")
        .all()
        .map((r) => [r.name, r.tbl_name]),
    );
    const rows = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all();
    const tables = new Map();
    for (const { name, bytes } of rows) {
      const table = owner.get(name) ?? name;
      const t = tables.get(table) ?? { table: 0, indexes: 0 };
      if (table === name) t.table += bytes;
      else t.indexes += bytes;
      tables.set(table, t);
    }
    const pageSize = db.pragma('page_size', { simple: true });
    const free = db.pragma('freelist_count', { simple: true }) * pageSize;
    return { tables, free, file: statSync(file).size };
  } finally {
    db.close();
  }
}

const PG_SIZES = `SELECT coalesce(parent.relname, c.relname) AS name,
    SUM(pg_table_size(c.oid))::bigint AS table_bytes, SUM(pg_indexes_size(c.oid))::bigint AS index_bytes
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class parent ON parent.oid = i.inhparent
  WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')
  GROUP BY 1`;

async function pgBreakdown(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM');
    const { rows } = await client.query(PG_SIZES);
    const tables = new Map(rows.map((r) => [r.name, { table: Number(r.table_bytes), indexes: Number(r.index_bytes) }]));
    const file = Number((await client.query('SELECT pg_database_size(current_database()) AS b')).rows[0].b);
    return { tables, free: 0, file };
  } finally {
    await client.end();
  }
}

function print(label, { tables, free, file }, items) {
  const sorted = [...tables].sort((a, b) => b[1].table + b[1].indexes - (a[1].table + a[1].indexes));
  let total = 0;
  console.log(`\n${label}: ${items} items; bytes per item (table + indexes = total)`);
  console.log('table'.padEnd(24) + 'table'.padStart(9) + 'indexes'.padStart(9) + 'total'.padStart(9) + '  MiB');
  for (const [name, t] of sorted) {
    const sum = t.table + t.indexes;
    total += sum;
    if (sum / items < 0.5) continue;
    console.log(
      name.padEnd(24) +
        (t.table / items).toFixed(1).padStart(9) +
        (t.indexes / items).toFixed(1).padStart(9) +
        (sum / items).toFixed(1).padStart(9) +
        `  ${(sum / 2 ** 20).toFixed(1)}`,
    );
  }
  console.log(`${'all b-trees'.padEnd(42)}${(total / items).toFixed(1).padStart(9)}  ${(total / 2 ** 20).toFixed(1)}`);
  if (free > 0)
    console.log(`${'free pages'.padEnd(42)}${(free / items).toFixed(1).padStart(9)}  ${(free / 2 ** 20).toFixed(1)}`);
  console.log(
    `${'file / database'.padEnd(42)}${(file / items).toFixed(1).padStart(9)}  ${(file / 2 ** 20).toFixed(1)}`,
  );
  return {
    items,
    perItem: Object.fromEntries(sorted.map(([n, t]) => [n, +((t.table + t.indexes) / items).toFixed(1)])),
    total: total / items,
    file: file / items,
  };
}

async function createPgDatabase(url) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/test';
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '')}"`);
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '')}"`);
  } finally {
    await client.end();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      days: { type: 'string', default: '30' },
      'sessions-per-day': { type: 'string', default: '2000' },
      db: { type: 'string' },
      data: { type: 'string' },
      items: { type: 'string' },
      keep: { type: 'boolean', default: false },
      maintain: { type: 'boolean', default: false },
      'payload-days': { type: 'string', default: '2' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const dir =
    values.db === undefined && values.data === undefined ? mkdtempSync(join(tmpdir(), 'touchline-bytes-')) : null;
  const db = values.data ?? values.db ?? join(dir, 'demo.db');
  const isPg = db.startsWith('postgres');
  const started = new Date();
  let items = values.items === undefined ? null : Number(values.items);
  try {
    if (values.data === undefined) {
      if (isPg) await createPgDatabase(db);
      const demo = loadDemo(db, Number(values.days), Number(values['sessions-per-day']));
      items = demo.items ?? demo.counts?.items;
      console.log(`loaded ${items} items in ${demo.loadSeconds.toFixed(0)} s (${JSON.stringify(demo.counts ?? {})})`);
    }
    if (!Number.isFinite(items) || items <= 0)
      throw new Error('--items N: how many items the data set holds (the demo prints it)');
    const dialect = isPg ? 'PostgreSQL' : 'SQLite';
    const breakdown = async () => (isPg ? await pgBreakdown(db) : sqliteBreakdown(db));
    // With --maintain, the bytes before it too, so one run shows what the maintenance frees.
    const before = values.maintain ? print(`${dialect}, before maintenance`, await breakdown(), items) : null;
    // What \`touchline serve\` does at start with its defaults (inboxKeepDays 32), at the demo's --now.
    const maintenance = values.maintain
      ? await settleCollector(db, { now: Date.parse(NOW), payloadDays: Number(values['payload-days']), refresh: false })
      : null;
    if (maintenance !== null) console.log('maintenance:', JSON.stringify(maintenance));
    const result = print(values.maintain ? `${dialect}, after maintenance` : dialect, await breakdown(), items);
    if (values.json) console.log(JSON.stringify(result));
    if (values.out !== undefined)
      console.log(
        `result written to ${writeResult(values.out, {
          bench: 'bytes-per-item',
          date: started.toISOString(),
          machine: machine(),
          dialect,
          settings: {
            days: values.data === undefined ? Number(values.days) : null,
            sessionsPerDay: values.data === undefined ? Number(values['sessions-per-day']) : null,
            data: values.data === undefined ? null : 'an existing database (--data)',
            maintain: values.maintain,
            payloadDays: Number(values['payload-days']),
          },
          defaults: { days: 30, sessionsPerDay: 2000, maintain: false, payloadDays: 2 },
          items,
          before,
          maintenance,
          after: result,
        })}`,
      );
  } finally {
    if (dir !== null && !values.keep) rmSync(dir, { recursive: true, force: true });
    else if (dir !== null) console.log(`kept ${db}`);
  }
}

await main();
