// Bench: items/s through the SQLite inbox path (insertInbox + claimInbox + applyProcessed) vs a bare single-insert baseline, same run.
// Needs the built packages: npx tsc -b packages/core packages/storage
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
async function measureStorage(dir, { batches, synchronous }) {
  const storage = openSqliteStorage({ path: path.join(dir, `touchline-${synchronous}.db`), synchronous });
  await storage.migrate();
  const account = await storage.ensureAccount('bench', Date.now());
  let ms = 0;
  let items = 0;
  for (const { items: batch, meta } of batches) {
    const t = performance.now();
    await storage.insertInbox(account.id, batch, Date.now());
    const rows = await storage.claimInbox({ limit: batch.length, leaseMs: 60_000, now: Date.now() });
    ms += performance.now() - t;
    const work = processed(account.id, rows, meta);
    const t2 = performance.now();
    await storage.applyProcessed(work);
    ms += performance.now() - t2;
    items += rows.length;
  }
  const health = await storage.inboxHealth();
  await storage.close();
  if (items !== batches.length * batches[0].items.length || health.pending !== 0)
    throw new Error(`lost items: ${items} applied, ${health.pending} pending`);
  return items / (ms / 1000);
}

/** Baseline: the least any durable inbox must do — one plain insert per item, one transaction per batch. */
function measureBare(dir, { batches, synchronous }) {
  const db = new Database(path.join(dir, `bare-${synchronous}.db`));
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
    return {
      name: `sqlite inbox path (insert+claim+apply, ${batchSize}/batch, synchronous=${synchronous}) / bare insert`,
      baseline: `${bare.toFixed(0)} items/s bare insert`,
      measured: `${touchline.toFixed(0)} items/s`,
      ratio: touchline / bare,
      target: `>= ${TARGET_ITEMS_PER_S} items/s`,
      pass: touchline >= TARGET_ITEMS_PER_S,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const items = Number(process.env.BENCH_ITEMS ?? 200_000);
  for (const [synchronous, batchSize] of [
    ['normal', 500],
    ['normal', 100],
    ['full', 500],
  ]) {
    const r = await runStorageSqlite({ items, batchSize, synchronous });
    console.log(
      `${r.name}: ${r.measured} (bare ${r.baseline}, ratio ${r.ratio.toFixed(2)}, target ${r.target}: ${r.pass ? 'ok' : 'MISSED'})`,
    );
  }
}
