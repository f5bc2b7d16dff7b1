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
// Also times the dashboard's overview (stats + series) and top lists over HTTP with a signed-in session,
// and ingest latency (a 1-item batch, /healthz) with and without 4 attribution queries running at once.
// --latency-only skips the reads and times only ingest beside queries (for A/B runs, e.g. TOUCHLINE_READ_THREAD_NICE=0 vs the default).
// Writes the figures to --out FILE (default bench/results/read-api.json) with the run's date, machine and settings.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { settleCollector } from './settle-collector.mjs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { codeVersion } from './figures/result-file.mjs';
import { spawnServe, listeningUrl, stopGracefully } from './serve-process.mjs';

const BIN = fileURLToPath(new URL('../packages/cli/bin/touchline.mjs', import.meta.url));
const DAY = 86_400_000;
const NOW = '2026-12-05T12:00:00Z';
const DEFAULT_OUT = fileURLToPath(new URL('./results/read-api.json', import.meta.url));
const MODELS = [
  'first_touch',
  'last_touch',
  'last_non_direct',
  'linear',
  'time_decay',
  'position_based',
  'markov',
  'shapley',
];

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

const ADMIN_PASSWORD = 'read-api bench password';

async function startServe(db) {
  const child = spawnServe(db, { env: { TOUCHLINE_ADMIN_PASSWORD: ADMIN_PASSWORD, TOUCHLINE_RATE_LIMIT: 'off' } });
  return { url: await listeningUrl(child), stop: () => stopGracefully(child) };
}

const quantile = (values, q) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;

/** Signs in to the dashboard as a person would; returns the session cookie. */
async function dashboardCookie(url) {
  const res = await fetch(`${url}/dashboard/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ password: ADMIN_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`dashboard login: HTTP ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

async function time(url, headers, path, repeat) {
  const ms = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    const res = await fetch(`${url}${path}`, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
    ms.push(performance.now() - t);
  }
  return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95) };
}

/** One 1-item batch, as an SDK sends a lone event. */
function oneItemBatch() {
  const id = crypto.randomUUID();
  const item = {
    id,
    type: 'event',
    timestamp: new Date().toISOString(),
    visitor_id: crypto.randomUUID(),
    session_id: crypto.randomUUID(),
    name: 'bench_ping',
    context: null,
    properties: {},
  };
  return JSON.stringify({
    batch_id: crypto.randomUUID(),
    sent_at: new Date().toISOString(),
    sdk: { name: 'bench', version: '0' },
    items: [item],
  });
}

/**
 * p50/p99 of `count` sequential 1-item batches and /healthz calls (alternating), while `busy`
 * attribution queries run back to back beside them (0: the baseline).
 */
async function ingestLatency(url, key, path, busy, count) {
  let running = true;
  let queries = 0;
  const loops = Array.from({ length: busy }, async () => {
    while (running) {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      await res.arrayBuffer();
      queries += 1;
    }
  });
  const ingest = [];
  const health = [];
  try {
    for (let i = 0; i < count; i++) {
      let t = performance.now();
      const res = await fetch(`${url}/api/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: oneItemBatch(),
      });
      await res.arrayBuffer();
      if (res.status !== 202 && res.status !== 200) throw new Error(`ingest: HTTP ${res.status}`);
      ingest.push(performance.now() - t);
      t = performance.now();
      const h = await fetch(`${url}/healthz`);
      await h.arrayBuffer();
      health.push(performance.now() - t);
    }
  } finally {
    running = false;
    await Promise.all(loops);
  }
  return {
    ingest: { p50: quantile(ingest, 0.5), p99: quantile(ingest, 0.99) },
    health: { p50: quantile(health, 0.5), p99: quantile(health, 0.99) },
    queries,
  };
}

/** A conversion id of the account from the last 30 days (SQLite file read directly). */
function someConversion(db, now) {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite
      .prepare('SELECT id FROM conversions WHERE occurred_at >= ? ORDER BY occurred_at DESC LIMIT 1')
      .pluck()
      .get(now - 30 * DAY);
  } finally {
    sqlite.close();
  }
}

/** A client of the collector's PostgreSQL database: the collector reads `?schema=` from the URL (a search_path); pg does not, so it is set here the same way. */
async function pgClient(url) {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const client = new pg.Client({
    connectionString: parsed.toString(),
    ...(schema === null ? {} : { options: `-c search_path=${schema}` }),
  });
  await client.connect();
  return client;
}

/** The same on PostgreSQL. */
async function someConversionPg(url, now) {
  const client = await pgClient(url);
  try {
    const { rows } = await client.query(
      'SELECT id FROM conversions WHERE occurred_at >= $1 ORDER BY occurred_at DESC LIMIT 1',
      [now - 30 * DAY],
    );
    return rows[0]?.id;
  } finally {
    await client.end();
  }
}

/**
 * PostgreSQL's planner statistics, as autovacuum keeps them on a running server: a database loaded in
 * bulk minutes ago may have none yet (or autovacuum is off, as on this project's test machines), and
 * without them the planner scans whole tables (docs/benchmark-history.md, "Read model: rollups, 2026-12-06").
 */
async function analyzePg(url) {
  const client = await pgClient(url);
  const t = performance.now();
  try {
    await client.query('ANALYZE');
    return Math.round(performance.now() - t);
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

export async function runReadApi({
  days = 30,
  sessionsPerDay = 2000,
  repeat = 10,
  keep = false,
  data,
  pgUrl,
  pgDemo,
  latencySamples = 200,
  out = DEFAULT_OUT,
  latencyOnly = false,
} = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-read-api-'));
  const db = pgUrl ?? join(dir, 'touchline.db');
  try {
    const demo = pgUrl
      ? { ...JSON.parse(readFileSync(pgDemo, 'utf8').trim().split('\n').pop()), loadSeconds: 0 }
      : data
        ? copyDemo(data, db)
        : loadDemo(db, days, sessionsPerDay);
    if (data || pgUrl) ({ days = 30, sessionsPerDay = demo.sessions_per_day ?? 2000 } = demo);
    if (keep && !data) writeFileSync(`${db}.json`, JSON.stringify({ ...demo, days, sessionsPerDay }));
    const now = Date.parse(NOW);
    const bytes = pgUrl ? NaN : statSync(db).size;
    // The reads are timed on a collector in its steady state: its background catch-up on the demo
    // (the journey marks the load left, inbox rows aged out) is done first, at the real clock.
    const settled = await settleCollector(db, { now: Date.now() });
    console.log(
      `settled before timing (${(settled.ms / 1000).toFixed(1)} s): ${settled.deleted} inbox rows pruned, ${settled.compacted} payloads compacted, ${settled.refreshSteps} refresher steps`,
    );
    const analyzedMs = pgUrl ? await analyzePg(pgUrl) : null;
    if (analyzedMs !== null) console.log(`ANALYZE before timing: ${(analyzedMs / 1000).toFixed(1)} s`);
    const serve = await startServe(db);
    const rows = [];
    let latency = null;
    try {
      const range = (d) => `from=${new Date(now - d * DAY).toISOString()}&to=${new Date(now).toISOString()}`;
      const api = { authorization: `Bearer ${demo.key}` };
      const report = async (name, path, target, headers = api) =>
        rows.push({ name, target, ...(await time(serve.url, headers, path, repeat)) });
      const dashboard = { cookie: await dashboardCookie(serve.url) };
      const reportTarget = pgUrl ? 300 : 200;
      for (const d of [30, 90].filter((x) => x <= days && !latencyOnly)) {
        await report(`stats ${d} d`, `/api/v1/stats?${range(d)}`, reportTarget);
        await report(
          `dashboard overview (stats + series) ${d} d`,
          `/dashboard/api/overview?account=${demo.account_id}&${range(d)}`,
          reportTarget,
          dashboard,
        );
        for (const list of ['landing-pages', 'referrers', 'campaigns']) {
          await report(
            `dashboard top ${list} ${d} d`,
            `/dashboard/api/${list}?account=${demo.account_id}&${range(d)}`,
            reportTarget,
            dashboard,
          );
        }
      }
      for (const model of latencyOnly ? [] : MODELS) {
        for (const lookback of [30, 90])
          await report(
            `attribution ${model} lookback ${lookback}`,
            `/api/v1/attribution?model=${model}&lookback_days=${lookback}&${range(30)}`,
            1000,
          );
      }
      const id = pgUrl ? await someConversionPg(pgUrl, now) : someConversion(db, now);
      if (id && !latencyOnly) await report('one conversion journey', `/api/v1/conversions/${id}/journey`, 50);
      const attribution = `/api/v1/attribution?model=linear&lookback_days=30&${range(30)}`;
      const base = await ingestLatency(serve.url, demo.key, attribution, 0, latencySamples);
      const loaded = await ingestLatency(serve.url, demo.key, attribution, 4, latencySamples);
      latency = { samples: latencySamples, baseline: base, with4Queries: loaded };
    } finally {
      await serve.stop();
    }
    const items = demo.items ?? null;
    console.log(
      `read-api${pgUrl ? ' (PostgreSQL)' : ''}: ${days} days x ${sessionsPerDay} sessions/day, ${items ?? '?'} items, ${pgUrl ? 'size not measured' : `${(bytes / 2 ** 20).toFixed(0)} MiB${items ? ` (${Math.round(bytes / items)} B/item)` : ''}`}, demo load ${demo.loadSeconds.toFixed(0)} s`,
    );
    for (const r of rows)
      console.log(
        `  ${r.name.padEnd(44)} p50 ${r.p50.toFixed(0).padStart(6)} ms  p95 ${r.p95.toFixed(0).padStart(6)} ms  target ${r.target} ms  ${r.p95 <= r.target ? 'ok' : 'MISSED'}`,
      );
    if (latency !== null) {
      const line = (name, m) =>
        console.log(
          `  ${name.padEnd(44)} p50 ${m.p50.toFixed(1).padStart(6)} ms  p99 ${m.p99.toFixed(1).padStart(6)} ms`,
        );
      line('1-item batch, no queries', latency.baseline.ingest);
      line('1-item batch, 4 attribution queries running', latency.with4Queries.ingest);
      line('/healthz, no queries', latency.baseline.health);
      line('/healthz, 4 attribution queries running', latency.with4Queries.health);
      console.log(
        `  (${latency.with4Queries.queries} attribution queries answered during the loaded run; targets: batch p99 < 50 ms, /healthz p99 < 20 ms)`,
      );
    }
    const worst = rows.reduce(
      (w, r) => (r.p95 / r.target > w.p95 / w.target ? r : w),
      rows[0] ?? { name: 'none', p95: 0, target: 1 },
    );
    if (out) {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(
        out,
        `${JSON.stringify(
          {
            code: codeVersion(),
            bench: 'read-api',
            date: new Date().toISOString(),
            machine: {
              cpus: os.cpus().length,
              model: os.cpus()[0]?.model ?? 'cpu',
              memGiB: Math.round(os.totalmem() / 2 ** 30),
              node: process.version,
              load1: os.loadavg()[0],
            },
            settings: {
              dialect: pgUrl ? 'postgres' : 'sqlite',
              days,
              sessionsPerDay,
              mix: 'realistic',
              now: NOW,
              repeat,
              latencySamples,
              latencyOnly,
              readThreadNice: process.env.TOUCHLINE_READ_THREAD_NICE ?? 'default',
            },
            data: {
              items,
              bytes: pgUrl ? null : bytes,
              bytesPerItem: pgUrl || !items ? null : Math.round(bytes / items),
              loadSeconds: demo.loadSeconds,
            },
            settled,
            ...(analyzedMs === null ? {} : { analyzedMs }),
            rows: rows.map((r) => ({
              name: r.name,
              p50: Math.round(r.p50),
              p95: Math.round(r.p95),
              target: r.target,
              pass: r.p95 <= r.target,
            })),
            latency,
          },
          null,
          2,
        )}\n`,
      );
      console.log(`wrote ${out}`);
    }
    return [
      {
        name: `read API on ${days} d x ${sessionsPerDay}/d (worst: ${worst.name})`,
        baseline: `target ${worst.target} ms`,
        measured: `p95 ${worst.p95.toFixed(0)} ms`,
        ratio: worst.target / worst.p95,
        target: 'every p95 within its target',
        pass: rows.every((r) => r.p95 <= r.target),
      },
    ];
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${db}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      days: { type: 'string' },
      'sessions-per-day': { type: 'string' },
      repeat: { type: 'string' },
      keep: { type: 'boolean' },
      data: { type: 'string' },
      pg: { type: 'string' },
      demo: { type: 'string' },
      samples: { type: 'string' },
      out: { type: 'string' },
      'latency-only': { type: 'boolean' },
    },
  });
  if (values.pg && !values.demo)
    throw new Error("--pg URL needs --demo FILE.json (the demo's --json output for that database)");
  const [r] = await runReadApi({
    ...(values.days ? { days: Number(values.days) } : {}),
    ...(values['sessions-per-day'] ? { sessionsPerDay: Number(values['sessions-per-day']) } : {}),
    ...(values.repeat ? { repeat: Number(values.repeat) } : {}),
    keep: values.keep === true,
    ...(values.data ? { data: values.data } : {}),
    ...(values.pg ? { pgUrl: values.pg, pgDemo: values.demo } : {}),
    ...(values.samples ? { latencySamples: Number(values.samples) } : {}),
    ...(values.out ? { out: values.out } : {}),
    latencyOnly: values['latency-only'] === true,
  });
  console.log(`${r.name}: ${r.measured} (${r.pass ? 'ok' : 'MISSED'})`);
}
