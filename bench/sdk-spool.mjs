// Bench: cost of the SDK's on-disk spool per item, with and without it in the same run: the call on the request path, and end-to-end delivery to a real collector.
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@touchline/node';
import { createKey, spawnServe, listeningUrl } from './serve-process.mjs';

const CALLS = Number(process.env.BENCH_SPOOL_CALLS ?? 100_000);
const DELIVER = Number(process.env.BENCH_SPOOL_ITEMS ?? 50_000);
const VISITOR = '0190f0c0-0000-7000-8000-000000000001';
const PROPS = { plan: 'pro', sku: 'A1-42', path: '/checkout/confirm' };

async function startCollector() {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-bench-spool-'));
  const db = join(dir, 'touchline.db');
  const key = createKey(db);
  const child = spawnServe(db);
  const url = await listeningUrl(child);
  await new Promise((r) => setTimeout(r, 500)); // keys loaded
  return {
    url,
    key,
    dir,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The synchronous cost of event() alone: requests never answer, the memory queue is large enough for every call. */
function callCost(withSpool) {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-bench-spool-calls-'));
  const client = createClient({
    apiKey: 'bench',
    fetch: () => new Promise(() => undefined),
    maxQueueItems: CALLS + 1000,
    ...(withSpool ? { spool: { path: dir, maxBytes: 1024 ** 3 } } : {}),
  });
  const started = process.hrtime.bigint();
  for (let n = 0; n < CALLS; n++) client.event('viewed', { ...PROPS, n }, { visitorId: VISITOR });
  const ns = Number(process.hrtime.bigint() - started);
  const dropped = Object.keys(client.stats().dropped).length;
  void client.close({ timeoutMs: 1 });
  rmSync(dir, { recursive: true, force: true });
  if (dropped > 0) throw new Error('drops in the call-cost run');
  return CALLS / (ns / 1e9);
}

/** Items/s from the first call to the flush that delivered them all, producer paced by the SDK's queue (default settings otherwise). */
async function delivery(collector, withSpool) {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-bench-spool-e2e-'));
  const client = createClient({
    apiKey: collector.key,
    endpoint: collector.url,
    ...(withSpool ? { spool: { path: dir } } : {}),
  });
  const limit = client.settings.maxQueueItems / 2;
  const started = process.hrtime.bigint();
  let n = 0;
  while (n < DELIVER) {
    if (client.stats().queued >= limit) {
      await new Promise((r) => setImmediate(r));
      continue;
    }
    client.event('viewed', { ...PROPS, n }, { visitorId: VISITOR });
    n += 1;
    if (n % 500 === 0) await new Promise((r) => setImmediate(r));
  }
  const result = await client.flush({ timeoutMs: 120_000 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await client.close({ timeoutMs: 1000 });
  rmSync(dir, { recursive: true, force: true });
  if (!result.settled || result.stats.delivered !== DELIVER || Object.keys(result.stats.dropped).length > 0) {
    throw new Error(`delivery run incomplete: ${JSON.stringify(result.stats)}`);
  }
  return DELIVER / seconds;
}

export async function runSdkSpool() {
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // Alternating rounds, so drift on a shared machine hits both sides alike.
  const calls = { memory: [], spool: [] };
  for (let round = 0; round < 3; round++) {
    calls.memory.push(callCost(false));
    calls.spool.push(callCost(true));
  }
  const collector = await startCollector();
  const e2e = { memory: [], spool: [] };
  try {
    for (let round = 0; round < 2; round++) {
      e2e.memory.push(await delivery(collector, false));
      e2e.spool.push(await delivery(collector, true));
    }
  } finally {
    collector.stop();
  }
  const row = (name, base, measured, unit) => ({
    name,
    baseline: `${mean(base).toFixed(0)} ${unit}`,
    measured: `${mean(measured).toFixed(0)} ${unit}`,
    ratio: mean(measured) / mean(base),
  });
  return [
    {
      ...row(
        `SDK event() calls, spool / memory only (${CALLS} calls, requests never answer, maxQueueItems ${CALLS + 1000})`,
        calls.memory,
        calls.spool,
        'calls/s',
      ),
      usPerCall: { memory: 1e6 / mean(calls.memory), spool: 1e6 / mean(calls.spool) },
    },
    row(
      `SDK delivery to a real collector, spool / memory only (${DELIVER} items, default settings, producer paced at half the queue)`,
      e2e.memory,
      e2e.spool,
      'items/s',
    ),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await runSdkSpool();
  console.log(
    `\nSDK spool — ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString()}\n`,
  );
  console.log('| benchmark | baseline | measured | ratio |');
  console.log('|---|---|---|---|');
  for (const r of results) console.log(`| ${r.name} | ${r.baseline} | ${r.measured} | ${r.ratio.toFixed(2)} |`);
  const per = results[0].usPerCall;
  console.log(
    `\nper call: ${per.memory.toFixed(2)} µs memory only, ${per.spool.toFixed(2)} µs with the spool (+${(per.spool - per.memory).toFixed(2)} µs)`,
  );
}
