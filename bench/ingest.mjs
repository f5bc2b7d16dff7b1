// Bench: collector ingest vs a bare node:http server answering 202, and batched ingest end to end into SQLite.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const BIN = fileURLToPath(new URL('../packages/cli/bin/touchline.mjs', import.meta.url));
const uuid7ish = () => { const u = randomUUID(); return `${u.slice(0, 14)}7${u.slice(15)}`; };

export function event(i) {
  return {
    type: 'event', id: uuid7ish(), timestamp: new Date().toISOString(), visitor_id: uuid7ish(), session_id: uuid7ish(),
    context: { url: 'https://shop.example/p?utm_source=news', referrer: 'https://www.google.com/', user_agent: 'Mozilla/5.0', ip: '203.0.113.9', utm: { utm_source: 'news' }, click_ids: {}, session_start: null },
    name: 'viewed', properties: { sku: `SKU-${i % 100}`, price: 19.9 },
  };
}
export const batchBody = (items) => JSON.stringify({ batch_id: uuid7ish(), sent_at: new Date().toISOString(), sdk: { name: 'bench', version: '0' }, items });

async function startCollector() {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-bench-'));
  const db = join(dir, 'touchline.db');
  const created = spawnSync(process.execPath, [BIN, 'keys', 'create', '--account', 'bench', '--db', db, '--json'], { encoding: 'utf8' });
  const { key } = JSON.parse(created.stdout);
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (c) => { out += c; const m = /listening on (\S+)/.exec(out); if (m) resolve(m[1]); });
  });
  return { url, key, stop: () => { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); } };
}

function startBare() {
  const child = spawn(process.execPath, ['--input-type=module', '-e', `
    import http from 'node:http';
    http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(202, { 'content-type': 'application/json' }); res.end('{"accepted":1}'); }); })
      .listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); });`], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout.on('data', (c) => {
    const m = /port (\d+)/.exec(String(c));
    if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, stop: () => child.kill('SIGKILL') });
  }));
}

async function load(url, path, key, bodies, seconds, connections) {
  let i = 0;
  const result = await autocannon({
    url: `${url}${path}`, method: 'POST', connections, duration: seconds,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
  });
  if (result.non2xx > 0) throw new Error(`${path}: ${result.non2xx} non-2xx responses`);
  return result;
}

async function stats(url, key) {
  return (await fetch(`${url}/api/v1/stats?from=0`, { headers: { authorization: `Bearer ${key}` } })).json();
}

export async function runSingleEventIngest({ seconds = 5 } = {}) {
  const bodies = Array.from({ length: 20_000 }, (_, i) => JSON.stringify(event(i)));
  const bare = await startBare();
  const bareRun = await load(bare.url, '/', 'x', bodies, seconds, 50);
  bare.stop();
  const c = await startCollector();
  const run = await load(c.url, '/api/v1/events', c.key, bodies, seconds, 50);
  c.stop();
  const ratio = run.requests.average / bareRun.requests.average;
  return {
    name: 'single-event ingest (collector / bare 202 server)',
    baseline: `${bareRun.requests.average.toFixed(0)} req/s bare`,
    measured: `${run.requests.average.toFixed(0)} req/s collector (p99 ${run.latency.p99} ms)`,
    ratio, target: '>= 0.50', pass: ratio >= 0.5,
  };
}

export async function runBatchedIngest({ seconds = 10 } = {}) {
  const bodies = Array.from({ length: 300 }, (_, b) => batchBody(Array.from({ length: 500 }, (_, i) => event(b * 500 + i))));
  const c = await startCollector();
  const start = Date.now();
  const run = await load(c.url, '/api/v1/batch', c.key, bodies, seconds, 8);
  const loadMs = Date.now() - start;
  const acceptedItems = run.requests.total * 500;
  const metrics = await (await fetch(`${c.url}/metrics`)).text();
  const lagAtEnd = Number(/^touchline_worker_lag_seconds (\S+)$/m.exec(metrics)?.[1] ?? NaN);
  let s = await stats(c.url, c.key);
  const unique = Math.min(acceptedItems, bodies.length * 500);
  while (s.events < unique && Date.now() - start < 600_000) {
    await new Promise((r) => setTimeout(r, 200));
    s = await stats(c.url, c.key);
  }
  const endToEndMs = Date.now() - start;
  c.stop();
  const acceptedPerSec = acceptedItems / (loadMs / 1000);
  const storedPerSec = s.events / (endToEndMs / 1000);
  return {
    name: 'batched ingest, 500 items/request, SQLite',
    baseline: 'target 100,000 events/s',
    measured: `${acceptedPerSec.toFixed(0)} items/s acknowledged (durable in inbox); ${storedPerSec.toFixed(0)} events/s processed end to end (${s.events} unique events in ${(endToEndMs / 1000).toFixed(1)} s); worker lag at end of load ${lagAtEnd.toFixed(1)} s`,
    ratio: acceptedPerSec / 100_000, target: '>= 1.00 (ack rate / 100k)', pass: acceptedPerSec >= 100_000,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  console.log(JSON.stringify(await runSingleEventIngest({ seconds }), null, 2));
  console.log(JSON.stringify(await runBatchedIngest({ seconds: seconds * 2 }), null, 2));
}
