// Bench: what a dashboard or API user waits for on a big account. Loads `touchline demo --mix realistic`,
// starts a real `touchline serve`, and times every read endpoint over HTTP (p50/p95 of sequential
// requests) against the issue-15 targets: reports < 200 ms (SQLite) / 300 ms (PostgreSQL), attribution
// < 1 s, one conversion's journey < 50 ms. Usage:
//   node bench/read-api.mjs [--days 90] [--sessions-per-day 35000] [--repeat 10] [--db URL] [--keep]
//   node bench/read-api.mjs --data FILE.db [--repeat 10]   (times a copy of a kept demo file; before/after
//   on the same data: FILE.db.json holds the demo's --json line, which --keep writes beside the file)
//   node bench/read-api.mjs --pg URL --demo FILE.json [--repeat 10]   (PostgreSQL: a database that
//   `touchline demo --db URL --days 30 --sessions-per-day 2000 --mix realistic --now 2026-12-05T12:00:00Z --json > FILE.json` loaded)
// (the issue's 10M-event data set is --days 90 --sessions-per-day 35000; the default is small).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';

const BIN = fileURLToPath(new URL('../packages/cli/bin/touchline.mjs', import.meta.url));
const DAY = 86_400_000;
const NOW = '2026-12-05T12:00:00Z';
const MODELS = ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based', 'markov', 'shapley'];

function loadDemo(db, days, perDay) {
  const t = performance.now();
  const run = spawnSync(process.execPath, [BIN, 'demo', '--db', db, '--days', String(days), '--sessions-per-day', String(perDay), '--mix', 'realistic', '--now', NOW, '--json'],
    { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (run.status !== 0) throw new Error(`demo failed: ${run.stderr}`);
  return { ...JSON.parse(run.stdout.trim().split('\n').pop()), loadSeconds: (performance.now() - t) / 1000 };
}

async function startServe(db) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => { out += c; const m = /listening on (\S+)/.exec(out); if (m) resolve(m[1]); });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { url, stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }) };
}

const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;

async function time(url, key, path, repeat) {
  const ms = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
    ms.push(performance.now() - t);
  }
  return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95) };
}

/** A conversion id of the account from the last 30 days (SQLite file read directly). */
function someConversion(db, now) {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare('SELECT id FROM conversions WHERE occurred_at >= ? ORDER BY occurred_at DESC LIMIT 1').pluck().get(now - 30 * DAY);
  } finally {
    sqlite.close();
  }
}

/** The same on PostgreSQL. */
async function someConversionPg(url, now) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT id FROM conversions WHERE occurred_at >= $1 ORDER BY occurred_at DESC LIMIT 1', [now - 30 * DAY]);
    return rows[0]?.id;
  } finally {
    await client.end();
  }
}

/** A copy of a kept demo file (its migrations run again on serve, as an upgrade would run them). */
function copyDemo(from, db) {
  copyFileSync(from, db);
  const demo = JSON.parse(readFileSync(`${from}.json`, 'utf8'));
  return { ...demo, loadSeconds: 0 };
}

export async function runReadApi({ days = 30, sessionsPerDay = 2000, repeat = 10, keep = false, data, pgUrl, pgDemo } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-read-api-'));
  const db = pgUrl ?? join(dir, 'touchline.db');
  try {
    const demo = pgUrl ? { ...JSON.parse(readFileSync(pgDemo, 'utf8').trim().split('\n').pop()), loadSeconds: 0 } : data ? copyDemo(data, db) : loadDemo(db, days, sessionsPerDay);
    if (data || pgUrl) ({ days = 30, sessionsPerDay = 2000 } = demo);
    if (keep && !data) writeFileSync(`${db}.json`, JSON.stringify({ ...demo, days, sessionsPerDay }));
    const now = Date.parse(NOW);
    const bytes = pgUrl ? NaN : statSync(db).size;
    const serve = await startServe(db);
    const rows = [];
    try {
      const range = (d) => `from=${new Date(now - d * DAY).toISOString()}&to=${new Date(now).toISOString()}`;
      const report = async (name, path, target) => rows.push({ name, target, ...(await time(serve.url, demo.key, path, repeat)) });
      for (const d of [30, 90].filter((x) => x <= days)) await report(`stats ${d} d`, `/api/v1/stats?${range(d)}`, 200);
      for (const model of MODELS) {
        for (const lookback of [30, 90]) await report(`attribution ${model} lookback ${lookback}`, `/api/v1/attribution?model=${model}&lookback_days=${lookback}&${range(30)}`, 1000);
      }
      const id = pgUrl ? await someConversionPg(pgUrl, now) : someConversion(db, now);
      if (id) await report('one conversion journey', `/api/v1/conversions/${id}/journey`, 50);
    } finally {
      await serve.stop();
    }
    const items = demo.items ?? null;
    console.log(`read-api${pgUrl ? ' (PostgreSQL)' : ''}: ${days} days x ${sessionsPerDay} sessions/day, ${items ?? '?'} items, ${pgUrl ? 'size not measured' : `${(bytes / 2 ** 20).toFixed(0)} MiB${items ? ` (${Math.round(bytes / items)} B/item)` : ''}`}, demo load ${demo.loadSeconds.toFixed(0)} s`);
    for (const r of rows) console.log(`  ${r.name.padEnd(44)} p50 ${r.p50.toFixed(0).padStart(6)} ms  p95 ${r.p95.toFixed(0).padStart(6)} ms  target ${r.target} ms  ${r.p95 <= r.target ? 'ok' : 'MISSED'}`);
    const worst = rows.reduce((w, r) => (r.p95 / r.target > w.p95 / w.target ? r : w), rows[0]);
    return [{
      name: `read API on ${days} d x ${sessionsPerDay}/d (worst: ${worst.name})`, baseline: `target ${worst.target} ms`,
      measured: `p95 ${worst.p95.toFixed(0)} ms`, ratio: worst.target / worst.p95, target: 'every p95 within its target', pass: rows.every((r) => r.p95 <= r.target),
    }];
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${db}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { days: { type: 'string' }, 'sessions-per-day': { type: 'string' }, repeat: { type: 'string' }, keep: { type: 'boolean' }, data: { type: 'string' }, pg: { type: 'string' }, demo: { type: 'string' } } });
  if (values.pg && !values.demo) throw new Error('--pg URL needs --demo FILE.json (the demo\'s --json output for that database)');
  const [r] = await runReadApi({
    ...(values.days ? { days: Number(values.days) } : {}),
    ...(values['sessions-per-day'] ? { sessionsPerDay: Number(values['sessions-per-day']) } : {}),
    ...(values.repeat ? { repeat: Number(values.repeat) } : {}),
    keep: values.keep === true,
    ...(values.data ? { data: values.data } : {}),
    ...(values.pg ? { pgUrl: values.pg, pgDemo: values.demo } : {}),
  });
  console.log(`${r.name}: ${r.measured} (${r.pass ? 'ok' : 'MISSED'})`);
}
