// Bench: collector ingest vs a bare node:http server answering 202, and batched ingest end to end into SQLite.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { deriveSessionId, newId } from '../packages/core/dist/index.js';
import { rawLoad } from './raw-load.mjs';
import { createKey, spawnServe, listeningUrl } from './serve-process.mjs';

/**
 * Ids have the shapes the SDK sends: UUIDv7 item and visitor ids (time-ordered, so the collector's
 * unique index grows at its right edge) and hash-derived session ids. Random v4-like item ids,
 * which this bench used before, cost the inbox insert about twice as much (8-9 vs ~4 µs/item).
 */
export function event(i) {
  const visitorId = newId();
  return {
    type: 'event',
    id: ID_SLOT,
    timestamp: new Date().toISOString(),
    visitor_id: visitorId,
    session_id: deriveSessionId(visitorId, 1),
    context: {
      url: 'https://shop.example/p?utm_source=news',
      referrer: 'https://www.google.com/',
      user_agent: 'Mozilla/5.0',
      ip: '203.0.113.9',
      utm: { utm_source: 'news' },
      click_ids: {},
      session_start: null,
    },
    name: 'viewed',
    properties: { sku: `SKU-${i % 100}`, price: 19.9 },
  };
}
/** Stands for an item id in a template body; every use of the template gets fresh UUIDv7s. */
const ID_SLOT = '@item-id@';
const ID_SLOTS = new RegExp(ID_SLOT, 'g');

/**
 * Bodies with ids never sent before, time-ordered as the SDK makes them: each call takes the next
 * template and gives every item a new UUIDv7 (~0.3 ms per 500-item body: the batched bench builds
 * its bodies before the clock starts, the single-event bench as it sends).
 * The bench used to cycle a fixed set of bodies, so after the first few seconds nearly every item
 * was a duplicate, which costs the inbox an index lookup instead of an insert, and the
 * acknowledged rate measured mostly duplicates.
 */
export function uniqueBodies(templates) {
  let n = 0;
  return () => templates[n++ % templates.length].replace(ID_SLOTS, () => newId());
}

export const batchBody = (items) =>
  JSON.stringify({ batch_id: newId(), sent_at: new Date().toISOString(), sdk: { name: 'bench', version: '0' }, items });

async function startCollector() {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-bench-'));
  const db = join(dir, 'touchline.db');
  const key = createKey(db);
  const child = spawnServe(db);
  const url = await listeningUrl(child);
  return {
    url,
    key,
    cpu: () => cpuMs(child.pid),
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** utime + stime of a /proc stat line, in ms (clock ticks are 10 ms on Linux). */
function statMs(path) {
  const text = readFileSync(path, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU the collector has used: the whole process and its main (ingest) thread, in ms; null where
 * /proc is missing (not Linux). Less sensitive to the VM's neighbours than a rate.
 */
function cpuMs(pid) {
  try {
    return { process: statMs(`/proc/${pid}/stat`), main: statMs(`/proc/${pid}/task/${pid}/stat`) };
  } catch {
    return null;
  }
}

function startBare() {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
    import http from 'node:http';
    http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(202, { 'content-type': 'application/json' }); res.end('{"accepted":1}'); }); })
      .listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve) =>
    child.stdout.on('data', (c) => {
      const m = /port (\d+)/.exec(String(c));
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, stop: () => child.kill('SIGKILL') });
    }),
  );
}

async function load(url, path, key, nextBody, seconds, connections) {
  const result = await autocannon({
    url: `${url}${path}`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: nextBody() }) }],
  });
  if (result.non2xx > 0) throw new Error(`${path}: ${result.non2xx} non-2xx responses`);
  return result;
}

async function stats(url, key) {
  return (await fetch(`${url}/api/v1/stats?from=0`, { headers: { authorization: `Bearer ${key}` } })).json();
}

function inboxDepth(metrics) {
  const depth = Number(/^touchline_inbox_depth (\S+)$/m.exec(metrics)?.[1]);
  if (!Number.isFinite(depth)) throw new Error('batched ingest: /metrics has no touchline_inbox_depth');
  return depth;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Bare and collector runs alternate `rounds` times; the ratio is the median of each adjacent
 * pair's ratio: on this shared VM the bare rate itself moved 31k-38k between runs minutes apart,
 * and three pairs compared by their separate medians gave 0.44 and 0.57 for the same code. Each
 * run gets a fresh server, and only one server is up at a time (a collector left running would
 * process its backlog during the next bare run).
 */
export async function runSingleEventIngest({ seconds = 5, rounds = 5 } = {}) {
  const templates = Array.from({ length: 20_000 }, (_, i) => JSON.stringify(event(i)));
  const bareRps = [];
  const runs = [];
  for (let i = 0; i < rounds; i++) {
    const bare = await startBare();
    try {
      bareRps.push((await load(bare.url, '/', 'x', uniqueBodies(templates), seconds, 50)).requests.average);
    } finally {
      bare.stop();
    }
    const c = await startCollector();
    try {
      const before = c.cpu();
      const run = await load(c.url, '/api/v1/events', c.key, uniqueBodies(templates), seconds, 50);
      const after = c.cpu();
      runs.push({ ...run, mainUs: before && after ? ((after.main - before.main) * 1000) / run.requests.total : NaN });
    } finally {
      c.stop();
    }
  }
  const bareMedian = median(bareRps);
  const rps = median(runs.map((r) => r.requests.average));
  const ratios = runs.map((r, i) => r.requests.average / bareRps[i]);
  const ratio = median(ratios);
  return {
    name: 'single-event ingest (collector / bare 202 server)',
    baseline: `${bareMedian.toFixed(0)} req/s bare (median)`,
    measured: `${rps.toFixed(0)} req/s collector (median; p99 ${median(runs.map((r) => r.latency.p99))} ms, main thread ${median(runs.map((r) => r.mainUs)).toFixed(0)} µs CPU/req); ratio = median of ${rounds} alternating pairs' ratios (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`,
    ratio,
    target: '>= 0.50',
    pass: ratio >= 0.5,
    settings: `${rounds} alternating pairs of ${seconds} s (bare, collector), autocannon 50 connections`,
  };
}

/** One collector, `seconds` of batched load, then a wait until the worker has processed all of it. */
async function batchedRound(bodies, seconds) {
  const c = await startCollector();
  try {
    const start = Date.now();
    const before = c.cpu();
    const run = await rawLoad({
      url: c.url,
      path: '/api/v1/batch',
      headers: { authorization: `Bearer ${c.key}`, 'content-type': 'application/json' },
      bodies,
      connections: 8,
      seconds,
    });
    const after = c.cpu();
    if (run.non2xx > 0) throw new Error(`batched ingest: ${run.non2xx} non-2xx responses`);
    const acceptedItems = run.requests * 500;
    const perItem = (key) => (before && after ? ((after[key] - before[key]) * 1000) / acceptedItems : NaN);
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    const lag = Number(/^touchline_worker_lag_seconds (\S+)$/m.exec(metrics)?.[1] ?? NaN);
    // Wait on the inbox depth (a count over the backlog), not on /stats: counting the growing events
    // and sessions tables every 200 ms took CPU from the worker it was timing.
    while (inboxDepth(await (await fetch(`${c.url}/metrics`)).text()) > 0 && Date.now() - start < 600_000) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const endToEndMs = Date.now() - start;
    const s = await stats(c.url, c.key);
    // The load waits for every request it sent, so what was acknowledged is exactly what is stored.
    if (s.events !== acceptedItems)
      throw new Error(`batched ingest: ${acceptedItems} items acknowledged but ${s.events} events stored`);
    return {
      acked: acceptedItems / (run.elapsedMs / 1000),
      exhausted: run.exhausted,
      processed: s.events / (endToEndMs / 1000),
      events: s.events,
      endToEndMs,
      lag,
      mainUs: perItem('main'),
      processUs: perItem('process'),
    };
  } finally {
    c.stop();
  }
}

/**
 * `rounds` fresh collectors one after another, medians reported with the range: on this shared VM
 * the same code measured 74k-130k items/s acknowledged in single 10-second runs within an hour.
 */
export async function runBatchedIngest({ seconds = 10, rounds = 3 } = {}) {
  const templates = Array.from({ length: 300 }, (_, b) =>
    batchBody(Array.from({ length: 500 }, (_, i) => event(b * 500 + i))),
  );
  // Built before any clock starts, enough for 300 requests (150k items) a second; every round gets
  // a fresh collector and database, so the rounds can share them (items are unique within a round).
  const nextBody = uniqueBodies(templates);
  const bodies = Array.from({ length: Math.ceil(seconds * 300) }, () => Buffer.from(nextBody()));
  const runs = [];
  for (let i = 0; i < rounds; i++) runs.push(await batchedRound(bodies, seconds));
  const acked = median(runs.map((r) => r.acked));
  const processed = median(runs.map((r) => r.processed));
  const range = (xs) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;
  const mid = runs.find((r) => r.processed === processed);
  // Judged on what a user gets: events processed end to end (sessions, channels, queryable), not on
  // acknowledgements alone (issue 23): an ack rate above the processing rate only grows the backlog.
  return {
    name: 'batched ingest, 500 items/request, SQLite',
    baseline: 'target 100,000 events/s processed',
    measured:
      `${processed.toFixed(0)} events/s processed end to end (median of ${rounds} runs, range ${range(runs.map((r) => r.processed))}; that run: ${mid.events} events, all unique, in ${(mid.endToEndMs / 1000).toFixed(1)} s); ` +
      `beside it ${acked.toFixed(0)} items/s acknowledged (durable in the inbox; median, range ${range(runs.map((r) => r.acked))}); ` +
      `worker lag at end of load ${median(runs.map((r) => r.lag)).toFixed(1)} s (median); ` +
      `collector CPU during the load ${median(runs.map((r) => r.processUs)).toFixed(1)} µs/item, main thread ${median(runs.map((r) => r.mainUs)).toFixed(1)} (medians)` +
      (runs.some((r) => r.exhausted)
        ? '; some runs sent every pre-built body before their time was up (rates over the time taken)'
        : ''),
    ratio: processed / 100_000,
    target: '>= 1.00 (processed events/s / 100k)',
    pass: processed >= 100_000,
    settings: `${rounds} rounds of ${seconds} s, each on a fresh collector; bench/raw-load.mjs, 8 connections, pre-built 500-item bodies`,
    data: {
      acked,
      processed,
      runs: runs.map(({ acked: a, processed: p, events, endToEndMs, lag, mainUs, processUs }) => ({
        acked: Math.round(a),
        processed: Math.round(p),
        events,
        endToEndMs,
        lag,
        mainUs,
        processUs,
      })),
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  console.log(JSON.stringify(await runSingleEventIngest({ seconds }), null, 2));
  console.log(JSON.stringify(await runBatchedIngest({ seconds: seconds * 2 }), null, 2));
}
