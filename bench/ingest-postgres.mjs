// Bench: batched ingest (500 items/request) into PostgreSQL with 1, 2 and 3 collector processes, against SQLite in the same run.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
// The same item shape and batch body as bench/ingest.mjs.
import { batchBody, event, uniqueBodies } from './ingest.mjs';
import { spawnServe, listeningUrl } from './serve-process.mjs';

const BIN = fileURLToPath(new URL('../packages/cli/bin/touchline.mjs', import.meta.url));
const PG_URL =
  process.env.TOUCHLINE_BENCH_PG_URL ?? process.env.TOUCHLINE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Connections in total, spread over the collectors: the offered load stays the same as collectors are added. */
const CONNECTIONS = 8;

async function adminQuery(text) {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh database: a SQLite file, or a PostgreSQL schema (dropped by the returned cleanup). */
function freshDatabase(dialect) {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'touchline-bench-'));
    return { db: join(dir, 'touchline.db'), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  return {
    db: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`,
    cleanup: () => adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  };
}

function serve(db) {
  const child = spawnServe(db);
  return listeningUrl(child).then((url) => ({ child, url }));
}

async function load(url, key, nextBody, seconds, connections) {
  const result = await autocannon({
    url: `${url}/api/v1/batch`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: nextBody() }) }],
  });
  if (result.non2xx > 0) throw new Error(`batch: ${result.non2xx} non-2xx responses`);
  return result;
}

async function storedEvents(url, key) {
  return (await (await fetch(`${url}/api/v1/stats?from=0`, { headers: { authorization: `Bearer ${key}` } })).json())
    .events;
}

/** Acknowledged items/s during the load, and unique events/s stored end to end (load start to last event processed). */
async function measure(dialect, collectors, bodies, seconds) {
  const { db, cleanup } = freshDatabase(dialect);
  const created = spawnSync(process.execPath, [BIN, 'keys', 'create', '--account', 'bench', '--db', db, '--json'], {
    encoding: 'utf8',
  });
  if (created.status !== 0) throw new Error(`keys create failed: ${created.stderr}`);
  const { key } = JSON.parse(created.stdout);
  const procs = await Promise.all(Array.from({ length: collectors }, () => serve(db)));
  try {
    const start = Date.now();
    const per = Math.max(1, Math.floor(CONNECTIONS / collectors));
    // Every request gets fresh UUIDv7 item ids, so every request is new data.
    const runs = await Promise.all(procs.map((p) => load(p.url, key, uniqueBodies(bodies), seconds, per)));
    const loadMs = Date.now() - start;
    const requests = runs.reduce((sum, r) => sum + r.requests.total, 0);
    const unique = requests * 500;
    let events = await storedEvents(procs[0].url, key);
    while (events < unique && Date.now() - start < 600_000) {
      await new Promise((r) => setTimeout(r, 200));
      events = await storedEvents(procs[0].url, key);
    }
    const endToEndMs = Date.now() - start;
    return { acked: (requests * 500) / (loadMs / 1000), stored: events / (endToEndMs / 1000), events, endToEndMs };
  } finally {
    for (const p of procs) p.child.kill('SIGKILL');
    await cleanup();
  }
}

export async function runPostgresIngest({ seconds = 10 } = {}) {
  // Templates: each use gets fresh item ids (uniqueBodies), so no request repeats data.
  const bodies = Array.from({ length: 300 }, (_, b) =>
    batchBody(Array.from({ length: 500 }, (_, i) => event(b * 500 + i))),
  );
  const sqlite = await measure('sqlite', 1, bodies, seconds);
  const baseline = `SQLite, 1 collector: ${sqlite.acked.toFixed(0)} items/s acked, ${sqlite.stored.toFixed(0)} events/s stored`;
  const results = [];
  for (const collectors of [1, 2, 3]) {
    const r = await measure('postgres', collectors, bodies, seconds);
    results.push({
      name: `batched ingest, 500 items/request, PostgreSQL, ${collectors} collector${collectors > 1 ? 's' : ''}`,
      baseline,
      measured: `${r.acked.toFixed(0)} items/s acked; ${r.stored.toFixed(0)} events/s stored end to end (${r.events} events in ${(r.endToEndMs / 1000).toFixed(1)} s)`,
      ratio: r.stored / sqlite.stored,
      target: 'ratio to SQLite (stored events/s), for the README',
      pass: true,
      settings: `${seconds} s of autocannon load, 500-item batches; PostgreSQL on the same host`,
    });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  for (const r of await runPostgresIngest({ seconds })) console.log(JSON.stringify(r, null, 2));
}
