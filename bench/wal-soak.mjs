// Bench: sustained ingest from several app servers into a real `touchline serve` while stats and attribution queries run; the WAL must stay under its bound (DESIGN.md L13).
// Usage: node bench/wal-soak.mjs [--items 300000] [--wal-limit-mb 64] [--drain-seconds 300] [--dir DIR] [--out FILE]   (--out: the result file the README's "Bounded disk" table is rendered from)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { newId } from '../packages/core/dist/index.js';
import { machine, writeResult } from './figures/result-file.mjs';
import { createKey, spawnServe, listeningUrl } from './serve-process.mjs';

const MIB = 1024 * 1024;
const APPS = 4;
const BATCH = 500;
const IN_FLIGHT = 2;
const SAMPLE_MS = 100;

const PAGES = [
  '/',
  '/shoes',
  '/shoes/road-racer',
  '/shoes/trail-x',
  '/socks',
  '/bags',
  '/cart',
  '/checkout',
  '/about',
  '/blog/how-to-run',
];
const LANDINGS = [
  { referrer: 'https://www.google.com/', query: '' },
  { referrer: 'https://www.google.com/', query: '?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=Cj0KCQ' },
  { referrer: 'https://www.facebook.com/', query: '?fbclid=IwAR2x' },
  { referrer: null, query: '?utm_source=newsletter&utm_medium=email&utm_campaign=weekly' },
  { referrer: 'https://chatgpt.com/', query: '' },
  { referrer: 'https://runnersworld.example/best-shoes', query: '' },
  { referrer: null, query: '' },
];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15',
];

/** A small deterministic PRNG per app server, so runs send the same shop. */
function prng(seed) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/**
 * One app server's shop traffic, generated as it is sent (3M items would not fit in memory as
 * objects): sessions of a landing pageview (campaigns, search, social, AI, referral, direct), 1-5
 * more pageviews, sometimes an add-to-cart event, and for 1 in 12 a sign-in (identify) and a
 * purchase with revenue. A third of sessions come from returning visitors.
 */
function shop(seed) {
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const visitors = [];
  let queue = [];
  const session = () => {
    const returning = visitors.length > 0 && random() < 0.33;
    const visitor = returning ? pick(visitors) : newId();
    if (!returning) {
      visitors.push(visitor);
      if (visitors.length > 5000) visitors.shift();
    }
    const sessionId = newId();
    const landing = pick(LANDINGS);
    const agent = pick(AGENTS);
    let at = Date.now() - Math.floor(random() * 20 * 3_600_000);
    const item = (type, extra) => ({
      id: newId(),
      type,
      timestamp: new Date(at).toISOString(),
      visitor_id: visitor,
      session_id: sessionId,
      ...extra,
    });
    const context = (path, referrer, start) => ({
      url: `https://shop.example${path}`,
      referrer,
      user_agent: agent,
      ip: '203.0.113.7',
      utm: {},
      click_ids: {},
      session_start: start,
    });
    let page = pick(PAGES);
    const items = [
      item('pageview', {
        context: context(`${page}${landing.query}`, landing.referrer, returning ? 'expired' : 'new_visitor'),
      }),
    ];
    const views = 1 + Math.floor(random() * 5);
    for (let i = 0; i < views; i++) {
      at += 5_000 + Math.floor(random() * 60_000);
      const next = pick(PAGES);
      items.push(item('pageview', { context: context(next, `https://shop.example${page}`, null) }));
      page = next;
    }
    if (random() < 0.3)
      items.push(
        item('event', {
          name: 'add_to_cart',
          context: null,
          properties: { sku: `SKU-${Math.floor(random() * 500)}`, quantity: 1 },
        }),
      );
    if (random() < 1 / 12) {
      at += 2_000;
      items.push(
        item('identify', {
          context: null,
          user_id: `user-${Math.floor(random() * 100_000)}`,
          traits: { plan: 'customer' },
        }),
      );
      const cents = 1_000 + Math.floor(random() * 30_000);
      items.push(
        item('conversion', {
          name: 'purchase',
          context: null,
          revenue: cents / 100,
          currency: 'EUR',
          properties: { items: 1 + Math.floor(random() * 3) },
        }),
      );
    }
    return items;
  };
  return (count) => {
    while (queue.length < count) queue = queue.concat(session());
    const out = queue.slice(0, count);
    queue = queue.slice(count);
    return out;
  };
}

async function startCollector(dir, walLimitMb) {
  const db = join(dir, 'touchline.db');
  const key = createKey(db, { account: 'shop' });
  const child = spawnServe(db, {
    env: { TOUCHLINE_RATE_LIMIT: 'off' },
    stderr: 'pipe',
    args: ['--wal-limit-mb', String(walLimitMb)],
  });
  let errors = '';
  child.stderr.on('data', (c) => {
    if (errors.length < 4000) errors += c;
  });
  const url = await listeningUrl(child, () => `: ${errors}`);
  return { url, key, db, errors: () => errors, stop: () => child.kill('SIGKILL') };
}

function body(items) {
  return JSON.stringify({
    batch_id: newId(),
    sent_at: new Date().toISOString(),
    sdk: { name: 'bench', version: '0' },
    items,
  });
}

/** Posts until acknowledged, honouring 503/429 + Retry-After as the SDK does; counts the waits. */
async function post(c, text, stats) {
  for (;;) {
    const res = await fetch(`${c.url}/api/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.key}`, 'content-type': 'application/json' },
      body: text,
    });
    const answer = await res.json();
    if (res.status === 202) return answer;
    if (res.status !== 429 && res.status !== 503)
      throw new Error(`batch answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
    stats.retried[res.status] = (stats.retried[res.status] ?? 0) + 1;
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
  }
}

/** APPS app servers, each with IN_FLIGHT batches of BATCH items in flight, share `total` items. */
async function ingest(c, total, stats) {
  let remaining = total;
  await Promise.all(
    Array.from({ length: APPS }, async (_, app) => {
      const next = shop(app + 1);
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (remaining > 0) {
            const n = Math.min(BATCH, remaining);
            remaining -= n;
            const answer = await post(c, body(next(n)), stats);
            stats.accepted += answer.accepted;
            stats.duplicates += answer.duplicates;
            stats.progress.push([Date.now(), stats.accepted]);
          }
        }),
      );
    }),
  );
}

/** A 1-item batch every 20 ms, one at a time: what one request of a quiet app server waits. */
async function probeLatency(c, running, latencies, stats) {
  const next = shop(99);
  while (running()) {
    const started = performance.now();
    await post(c, body(next(1)), stats);
    latencies.push(performance.now() - started);
    stats.accepted += 1;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Dashboard-like readers: stats every second, a linear attribution every 5 s, one query at a time. */
async function query(c, running, reads) {
  let n = 0;
  while (running()) {
    const path = n++ % 5 === 4 ? '/api/v1/attribution?model=linear&lookback_days=30' : '/api/v1/stats';
    const started = performance.now();
    const res = await fetch(`${c.url}${path}`, { headers: { authorization: `Bearer ${c.key}` } });
    await res.arrayBuffer();
    const kind = path.includes('attribution') ? 'attribution' : 'stats';
    reads[kind].push(performance.now() - started);
    if (res.status !== 200) reads.failed += 1;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const size = (file) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
const percentile = (values, p) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function scrape(c) {
  const text = await (await fetch(`${c.url}/metrics`)).text();
  const value = (pattern) => Number(pattern.exec(text)?.[1] ?? NaN);
  return {
    depth: value(/^touchline_inbox_depth (\S+)$/m),
    complete: value(/^touchline_wal_checkpoints_total\{outcome="complete"\} (\S+)$/m),
    busy: value(/^touchline_wal_checkpoints_total\{outcome="busy"\} (\S+)$/m),
    maxHoldMs: value(/^touchline_wal_checkpoint_max_hold_seconds (\S+)$/m) * 1000,
    holdSeconds: value(/^touchline_wal_checkpoint_hold_seconds_total (\S+)$/m),
  };
}

/** Items acknowledged per second in each tenth of the load's time: a throughput cliff shows as a falling tail. */
function tenths(progress, start, end) {
  const step = (end - start) / 10;
  const counts = Array.from({ length: 10 }, () => 0);
  let before = 0;
  for (const [at, total] of progress) {
    counts[Math.min(9, Math.floor((at - start) / step))] += total - before;
    before = total;
  }
  return counts.map((n) => Math.round(n / (step / 1000)));
}

export async function runWalSoak({
  items = Number(process.env.BENCH_SOAK_ITEMS ?? 300_000),
  walLimitMb = Number(process.env.BENCH_SOAK_WAL_LIMIT_MB ?? 64),
  drainSeconds = Number(process.env.BENCH_SOAK_DRAIN_SECONDS ?? 300),
  dir: parent = tmpdir(),
} = {}) {
  const dir = mkdtempSync(join(parent, 'touchline-soak-'));
  const c = await startCollector(dir, walLimitMb);
  const samples = { walPeak: 0, dbPeak: 0, count: 0 };
  const sampler = setInterval(() => {
    samples.walPeak = Math.max(samples.walPeak, size(`${c.db}-wal`));
    samples.dbPeak = Math.max(samples.dbPeak, size(c.db));
    samples.count += 1;
  }, SAMPLE_MS);
  const stats = { accepted: 0, duplicates: 0, retried: {}, progress: [] };
  const latencies = [];
  const reads = { stats: [], attribution: [], failed: 0 };
  try {
    const start = Date.now();
    let loading = true;
    const side = Promise.all([probeLatency(c, () => loading, latencies, stats), query(c, () => loading, reads)]);
    await ingest(c, items, stats);
    const ackedMs = Date.now() - start;
    loading = false;
    await side;
    // Processing goes on after the load; the sampler keeps watching the WAL until the inbox is empty,
    // or until drainSeconds have passed without it emptying: then the run is a failure with the backlog
    // left (a stalled worker must end the bench with a verdict, not hang it).
    let metrics = await scrape(c);
    const drainBy = Date.now() + drainSeconds * 1000;
    while (metrics.depth > 0 && Date.now() < drainBy) {
      await new Promise((r) => setTimeout(r, 250));
      metrics = await scrape(c);
    }
    const drained = metrics.depth === 0;
    const processedMs = Date.now() - start;
    const walEnd = size(`${c.db}-wal`);
    const dbEnd = size(c.db);
    const bound = walLimitMb * MIB;
    const rates = tenths(stats.progress, start, start + ackedMs);
    const result = {
      items: stats.accepted,
      walLimitMb,
      drained,
      inboxLeft: metrics.depth,
      drainSeconds,
      walPeakMib: samples.walPeak / MIB,
      walEndMib: walEnd / MIB,
      dbMib: dbEnd / MIB,
      dbBytesPerItem: dbEnd / stats.accepted,
      ackedPerSecond: stats.accepted / (ackedMs / 1000),
      processedPerSecond: stats.accepted / (processedMs / 1000),
      ackedSeconds: ackedMs / 1000,
      processedSeconds: processedMs / 1000,
      p99OneItemMs: percentile(latencies, 99),
      p50OneItemMs: percentile(latencies, 50),
      oneItemSamples: latencies.length,
      retried: stats.retried,
      rateTenths: rates,
      statsP50Ms: percentile(reads.stats, 50),
      attributionP50Ms: percentile(reads.attribution, 50),
      attributionMaxMs: Math.max(0, ...reads.attribution),
      readFailures: reads.failed,
      checkpoints: metrics,
      samples: samples.count,
    };
    console.error(`wal-soak: ${JSON.stringify(result)}`);
    return {
      name: `WAL soak: ${stats.accepted.toLocaleString('en-US')} items over HTTP from ${APPS} app servers, stats + attribution queries running (bound ${walLimitMb} MiB)`,
      baseline: `WAL bound ${walLimitMb} MiB`,
      measured:
        `WAL peak ${result.walPeakMib.toFixed(1)} MiB (end ${result.walEndMib.toFixed(1)}), db ${result.dbMib.toFixed(0)} MiB = ${result.dbBytesPerItem.toFixed(0)} B/item; ` +
        `${Math.round(result.ackedPerSecond)} items/s acked, ${drained ? `${Math.round(result.processedPerSecond)} processed` : `NOT PROCESSED: ${metrics.depth} items still in the inbox ${drainSeconds} s after the load`}; 1-item batch p99 ${result.p99OneItemMs.toFixed(1)} ms; ` +
        `checkpoints ${metrics.complete} complete / ${metrics.busy} busy, longest write-lock hold ${metrics.maxHoldMs.toFixed(0)} ms; ack rate by tenth ${rates.join(' ')}`,
      ratio: samples.walPeak / bound,
      target: '<= 1.00 (WAL peak / bound)',
      pass: drained && samples.walPeak <= bound && stats.accepted === items + latencies.length,
      settings: `${APPS} app servers, ${BATCH}-item batches, ${IN_FLIGHT} in flight each; WAL bound ${walLimitMb} MiB${walLimitMb === 64 ? ' (default)' : ' (default 64)'}; rate limit off`,
      // `items` in the result is every item acknowledged (the latency probe's included); `requestedItems` is --items.
      data: { bench: 'wal-soak', requestedItems: items, ...result },
    };
  } finally {
    clearInterval(sampler);
    c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      items: { type: 'string' },
      'wal-limit-mb': { type: 'string' },
      'drain-seconds': { type: 'string' },
      dir: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const date = new Date().toISOString();
  const loadAtStart = machine().load1;
  const r = await runWalSoak({
    ...(values.items ? { items: Number(values.items) } : {}),
    ...(values['wal-limit-mb'] ? { walLimitMb: Number(values['wal-limit-mb']) } : {}),
    ...(values['drain-seconds'] ? { drainSeconds: Number(values['drain-seconds']) } : {}),
    ...(values.dir ? { dir: values.dir } : {}),
  });
  console.log(`${r.name}: ${r.measured} (ratio ${r.ratio.toFixed(2)}, ${r.pass ? 'ok' : 'MISSED'})`);
  if (values.out) {
    const { bench, requestedItems, walLimitMb, ...data } = r.data;
    const settings = { items: requestedItems, walLimitMb, apps: APPS, batch: BATCH, inFlight: IN_FLIGHT };
    console.log(
      `result: ${writeResult(values.out, { bench, date, ended: new Date().toISOString(), machine: { ...machine(), load1AtStart: loadAtStart }, settings, pass: r.pass, data })}`,
    );
  }
  process.exitCode = r.pass ? 0 : 1;
}
