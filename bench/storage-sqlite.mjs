// Bench: items/s through the SQLite inbox path (insertInbox + claimInbox + applyProcessed) vs a bare single-insert baseline, same run.
// Needs the built packages: npx tsc -b packages/core packages/storage
// Usage: node bench/storage-sqlite.mjs [--items N] [--cases normal:500,normal:100,full:500]
//          [--base-storage OTHER/packages/storage --rounds R]   same-run A/B: alternating rounds against another build
//          [--storage OTHER/packages/storage]                     the build measured as "this" (default: this tree's)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { deriveSessionId, newId } from '../packages/core/dist/index.js';
import { openSqliteStorage } from '../packages/storage/dist/index.js';

const TARGET_ITEMS_PER_S = 100_000;
const ITEMS_PER_SESSION = 10; // each batch holds batchSize / 10 visitors with one session each

/** A pageview-like payload of realistic size (~400 bytes). */
function payload(id, visitorId, sessionId, ts) {
  return JSON.stringify({
    id,
    type: 'pageview',
    visitor_id: visitorId,
    session_id: sessionId,
    timestamp: new Date(ts).toISOString(),
    context: {
      url: `https://shop.example/products/${id.slice(-6)}?utm_source=bench`,
      referrer: 'https://www.google.com/',
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0',
    },
  });
}

/**
 * Inbox batches plus what a worker derives from them (built outside the timing). Ids have their
 * real shapes: time-ordered UUIDv7 items and visitors, hash-derived (random-looking) session ids.
 */
function makeBatches(count, size, t0) {
  const batches = [];
  for (let b = 0; b < count; b++) {
    const items = [];
    const meta = [];
    const visitors = Array.from({ length: Math.max(1, Math.floor(size / ITEMS_PER_SESSION)) }, () =>
      newId(t0 + b * 1000),
    );
    for (let i = 0; i < size; i++) {
      const v = visitors[i % visitors.length];
      const s = deriveSessionId(v, 1);
      const ts = t0 + b * 1000 + i;
      const id = newId(ts);
      items.push({ itemId: id, type: 'pageview', payload: payload(id, v, s, ts) });
      meta.push({ id, v, s, ts });
    }
    batches.push({ items, meta });
  }
  return batches;
}

function processed(accountId, rows, meta) {
  const byId = new Map(meta.map((m) => [m.id, m]));
  const visitors = new Map();
  const sessions = new Map();
  const events = [];
  for (const row of rows) {
    const m = byId.get(row.itemId);
    visitors.set(m.v, { accountId, id: m.v, firstSeenAt: visitors.get(m.v)?.firstSeenAt ?? m.ts, lastSeenAt: m.ts });
    const s = sessions.get(m.s);
    sessions.set(
      m.s,
      s
        ? { ...s, lastSeenAt: m.ts, eventCount: s.eventCount + 1, pageviewCount: s.pageviewCount + 1 }
        : {
            accountId,
            id: m.s,
            visitorId: m.v,
            startedAt: m.ts,
            lastSeenAt: m.ts,
            eventCount: 1,
            pageviewCount: 1,
            // The landing's flat fields, read by builds before landing order (2db367f), so --base-storage can measure them.
            landingUrl: 'https://shop.example/',
            landingHost: 'shop.example',
            referrer: 'https://www.google.com/',
            channel: 'organic_search',
            utm: { utm_source: 'bench' },
            clickIds: {},
            landing: {
              rank: 3,
              at: m.ts,
              itemId: m.id,
              url: 'https://shop.example/',
              host: 'shop.example',
              referrer: 'https://www.google.com/',
              channel: 'organic_search',
              utm: { utm_source: 'bench' },
              clickIds: {},
            },
          },
    );
    events.push({
      accountId,
      id: m.id,
      type: 'pageview',
      name: null,
      visitorId: m.v,
      sessionId: m.s,
      timestamp: m.ts,
      url: 'https://shop.example/p',
      properties: '{}',
    });
  }
  return {
    visitors: [...visitors.values()],
    sessions: [...sessions.values()],
    events,
    conversions: [],
    identities: [],
    aliases: [],
    done: rows.map((r) => r.seq),
    dead: [],
  };
}

/** Touchline: every batch is inserted, claimed and applied; only the storage calls are timed. */
async function measureStorage(dir, { batches, synchronous, open = openSqliteStorage }) {
  const storage = open({ path: path.join(dir, `touchline-${synchronous}-${newId()}.db`), synchronous });
  await storage.migrate();
  const account = await storage.ensureAccount('bench', Date.now());
  const ms = { insert: 0, claim: 0, apply: 0 };
  let items = 0;
  let refused = 0;
  // At its bound the WAL refuses new work as "busy" until the checkpointer thread restarts it (it can
  // fall behind when both cores are busy); ingest and the worker then retry, so the bench does too,
  // and the wait counts in the time.
  const retrying = async (write) => {
    for (;;) {
      try {
        return await write();
      } catch (error) {
        if (error?.code !== 'busy' || ++refused > 1000) throw error;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  for (const { items: batch, meta } of batches) {
    const t0 = performance.now();
    await retrying(() => storage.insertInbox(account.id, batch, Date.now()));
    const t1 = performance.now();
    const rows = await retrying(() => storage.claimInbox({ limit: batch.length, leaseMs: 60_000, now: Date.now() }));
    const t2 = performance.now();
    const work = processed(account.id, rows, meta);
    const t3 = performance.now();
    await storage.applyProcessed(work);
    ms.insert += t1 - t0;
    ms.claim += t2 - t1;
    ms.apply += performance.now() - t3;
    items += rows.length;
  }
  const health = await storage.inboxHealth();
  await storage.close();
  if (items !== batches.length * batches[0].items.length || health.pending !== 0)
    throw new Error(`lost items: ${items} applied, ${health.pending} pending`);
  const us = (m) => Number(((m * 1000) / items).toFixed(2));
  return {
    rate: items / ((ms.insert + ms.claim + ms.apply) / 1000),
    usPerItem: { insert: us(ms.insert), claim: us(ms.claim), apply: us(ms.apply) },
    refused,
  };
}

/** Baseline: the least any durable inbox must do — one plain insert per item, one transaction per batch. */
function measureBare(dir, { batches, synchronous }) {
  const db = new Database(path.join(dir, `bare-${synchronous}-${newId()}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.exec('CREATE TABLE items (seq INTEGER PRIMARY KEY, item_id TEXT NOT NULL, payload TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO items (item_id, payload) VALUES (?, ?)');
  const tx = db.transaction((batch) => {
    for (const item of batch) insert.run(item.itemId, item.payload);
  });
  const t = performance.now();
  for (const { items } of batches) tx(items);
  const ms = performance.now() - t;
  db.close();
  return (batches.length * batches[0].items.length) / (ms / 1000);
}

export async function runStorageSqlite({ items = 200_000, batchSize = 500, synchronous = 'normal' } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'touchline-bench-'));
  try {
    const batches = makeBatches(Math.ceil(items / batchSize), batchSize, Date.now());
    const bare = measureBare(dir, { batches, synchronous });
    const touchline = await measureStorage(dir, { batches, synchronous });
    const { insert, claim, apply } = touchline.usPerItem;
    return {
      name: `sqlite inbox path (insert+claim+apply, ${batchSize}/batch, synchronous=${synchronous}) / bare insert`,
      baseline: `${bare.toFixed(0)} items/s bare insert`,
      measured: `${touchline.rate.toFixed(0)} items/s (µs/item: insert ${insert}, claim ${claim}, apply ${apply}; writes refused at the WAL bound and retried: ${touchline.refused})`,
      ratio: touchline.rate / bare,
      target: `>= ${TARGET_ITEMS_PER_S} items/s`,
      pass: touchline.rate >= TARGET_ITEMS_PER_S,
      usPerItem: touchline.usPerItem,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Same-run A/B: alternating rounds of this build and another build's storage on the same batches, with the bare baseline each round. */
async function compareBuilds({ items, batchSize, synchronous, baseStorage, storage, rounds }) {
  const load = async (dir) => (await import(pathToFileURL(path.resolve(dir, 'dist/index.js')).href)).openSqliteStorage;
  const openBase = await load(baseStorage);
  const openThis = storage === undefined ? openSqliteStorage : await load(storage);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'touchline-bench-'));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  try {
    const batches = makeBatches(Math.ceil(items / batchSize), batchSize, Date.now());
    const rows = [];
    for (let round = 0; round < rounds; round++) {
      const bare = measureBare(dir, { batches, synchronous });
      const runs = {};
      for (const name of round % 2 === 0 ? ['base', 'this'] : ['this', 'base'])
        runs[name] = await measureStorage(dir, { batches, synchronous, open: name === 'base' ? openBase : openThis });
      rows.push({ bare, base: runs.base, this: runs.this });
      console.log(
        `round ${round + 1}: bare ${bare.toFixed(0)}, base ${runs.base.rate.toFixed(0)} ${JSON.stringify(runs.base.usPerItem)}, this ${runs.this.rate.toFixed(0)} ${JSON.stringify(runs.this.usPerItem)} items/s`,
      );
    }
    const m = (f) => median(rows.map(f)).toFixed(2);
    console.log(
      `medians, ${batchSize}/batch, synchronous=${synchronous}: this/base ${m((r) => r.this.rate / r.base.rate)}, base/bare ${m((r) => r.base.rate / r.bare)}, this/bare ${m((r) => r.this.rate / r.bare)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      items: { type: 'string', default: process.env.BENCH_ITEMS ?? '200000' },
      cases: { type: 'string', default: 'normal:500,normal:100,full:500' },
      'base-storage': { type: 'string' },
      storage: { type: 'string' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const items = Number(values.items);
  for (const c of values.cases.split(',')) {
    const [synchronous, size] = c.split(':');
    const batchSize = Number(size);
    if (!['normal', 'full'].includes(synchronous) || !(batchSize > 0))
      throw new Error(`--cases: "${c}" is not synchronous:batchSize (normal:500, full:100, ...)`);
    if (values['base-storage'] !== undefined) {
      await compareBuilds({
        items,
        batchSize,
        synchronous,
        baseStorage: values['base-storage'],
        storage: values.storage,
        rounds: Number(values.rounds),
      });
      continue;
    }
    const r = await runStorageSqlite({ items, batchSize, synchronous });
    console.log(
      `${r.name}: ${r.measured} (bare ${r.baseline}, ratio ${r.ratio.toFixed(2)}, target ${r.target}: ${r.pass ? 'ok' : 'MISSED'})`,
    );
  }
}
