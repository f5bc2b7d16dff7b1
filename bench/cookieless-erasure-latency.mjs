// Bench: the ingest event loop while a cookieless person is erased, same run: erasure's transactions on the collector's connection (matcher inline or on a read thread) against over DELETE on the inbox thread: node bench/cookieless-erasure-latency.mjs (after npm run build; WAYS=inline,thread,route,idle).
// Why: the matcher decodes and hashes every cookieless inbox row of the account (10-33 us each); on the
// event loop that holds ingest. A real collector (SQLite file, read and worker threads) holds ROWS processed
// cookieless inbox rows; each round erases a person (PERSON_ROWS of those rows) each way, in turn, while a
// 1 ms timer measures the loop's stalls and a 1-item batch is posted every 20 ms and timed. Ways: inline and
// thread call storage.erasePerson on the collector's connection (thread: as DELETE did before issue 20's
// move, matcher on a read thread); route sends DELETE /api/v1/visitors/:id, which on SQLite runs the
// erasure (its transactions and matcher) on the inbox worker thread.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { COOKIELESS_ID, newId } from '../packages/core/dist/index.js';
import { cookielessInboxVisitor, createCollector, generateKey } from '../packages/server/dist/index.js';
import { cookielessVisitorId } from '../packages/server/dist/cookieless/cookieless-visitor-id.js';
import { encodeStoredItem } from '../packages/server/dist/pipeline/stored-item-codec.js';
import { openSqliteStorage } from '../packages/storage/dist/index.js';

const ROWS = Number(process.env.ROWS ?? 20_000);
const ROUNDS = 3;
const PERSON_ROWS = 50;
const DAY = 86_400_000;
const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-ck-erasure-'));
const file = path.join(dir, 'b.db');
const storage = openSqliteStorage({ path: file });
await storage.migrate();
const account = await storage.ensureAccount('bench', Date.now());
const now = Date.now();
const day = Math.floor(now / DAY);
const secret = (await storage.cookielessSecrets([{ accountId: account.id, day }], now, 6 * 3_600_000))
  .values()
  .next().value;
const t0 = day * DAY + 1000;
// Browsers 0..2*ROUNDS-1 are the people erased (PERSON_ROWS rows each); the rest belong to others.
const ipOf = (b) => `203.0.${Math.floor(b / 200)}.${b % 200}`;
const uaOf = (b) => `Mozilla/5.0 Bench/${b % 50}`;
const rows = Array.from({ length: ROWS }, (_, i) => {
  const browser = i < 2 * ROUNDS * PERSON_ROWS ? Math.floor(i / PERSON_ROWS) : 1000 + (i % 5000);
  const item = {
    type: 'pageview',
    id: newId(t0 + i),
    timestamp: new Date(t0 + i).toISOString(),
    visitor_id: COOKIELESS_ID,
    session_id: COOKIELESS_ID,
    context: {
      url: 'https://shop.example/p',
      referrer: null,
      user_agent: uaOf(browser),
      ip: ipOf(browser),
      utm: {},
      click_ids: {},
      session_start: null,
    },
  };
  return { itemId: item.id, type: 'pageview', payload: encodeStoredItem(item) };
});
for (let i = 0; i < rows.length; i += 1000) await storage.insertInbox(account.id, rows.slice(i, i + 1000), now);
// As after the worker: processed (the worker would also have stored visitors; the inbox is what the matcher reads).
const raw = new Database(file);
raw.exec('DELETE FROM inbox_pending');
raw.close();
const key = generateKey('live');
await storage.insertKey({
  id: newId(),
  accountId: account.id,
  prefix: key.prefix,
  hash: key.hash,
  mode: 'live',
  scopes: ['ingest', 'read', 'admin'],
  createdAt: now,
  revokedAt: null,
});
const collector = createCollector({ storage, databasePath: file, settings: { port: 0, keyRefreshMs: 100 } });
const { url } = await collector.start();
await collector.keys.refresh();

/** Runs `work` while measuring the loop's longest stall (1 ms timer) and 1-item batch latencies (every 20 ms). */
async function underLoad(work) {
  let last = performance.now();
  let stall = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    stall = Math.max(stall, t - last - 1);
    last = t;
  }, 1);
  const latencies = [];
  let running = true;
  const prober = (async () => {
    while (running) {
      const item = {
        type: 'event',
        id: newId(),
        timestamp: new Date().toISOString(),
        visitor_id: newId(),
        session_id: newId(),
        name: 'probe',
        properties: {},
        context: {
          url: 'https://shop.example/',
          referrer: null,
          user_agent: 'probe',
          ip: null,
          utm: {},
          click_ids: {},
          session_start: null,
        },
      };
      const t = performance.now();
      const res = await fetch(`${url}/api/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          batch_id: newId(),
          sent_at: new Date().toISOString(),
          sdk: { name: 'bench', version: '0' },
          items: [item],
        }),
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`probe batch answered ${res.status}`);
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await new Promise((r) => setTimeout(r, 100));
  const t = performance.now();
  // The loop's busy time during the work: less sensitive than the longest stall to the machine's other load.
  const elu = performance.eventLoopUtilization();
  const result = await work();
  const ms = performance.now() - t;
  const busy = performance.eventLoopUtilization(elu).active;
  await new Promise((r) => setTimeout(r, 100));
  running = false;
  await prober;
  clearInterval(timer);
  latencies.sort((a, b) => a - b);
  return {
    result,
    ms,
    busy,
    stall,
    maxBatch: latencies.at(-1),
    p50Batch: latencies[Math.floor(latencies.length / 2)],
    n: latencies.length,
  };
}

const matcher = await cookielessInboxVisitor(storage, account.id, now);
const visitorOf = (browser) => cookielessVisitorId(secret, ipOf(browser), uaOf(browser), 'shop.example');
/** On the collector's connection; resolves with the inbox rows removed. */
const erase = async (browser, cookielessItems) =>
  (
    await storage.erasePerson({
      accountId: account.id,
      subject: { kind: 'visitor', id: visitorOf(browser) },
      requestedBy: 'bench',
      now: Date.now(),
      tombstoneMs: DAY,
      cookielessItems,
    })
  ).removed.inbox;
const ways = {
  inline: (browser) => erase(browser, (q) => storage.cookielessInboxSeqs(q, matcher)),
  thread: (browser) => erase(browser, (q) => collector.reads.run('cookielessInboxSeqs', [q, now], { internal: true })),
  route: async (browser) => {
    const res = await fetch(`${url}/api/v1/visitors/${visitorOf(browser)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${key.secret}` },
    });
    if (res.status !== 200) throw new Error(`DELETE answered ${res.status}: ${await res.text()}`);
    return (await res.json()).removed.inbox_items;
  },
  // No erasure: the loop's stalls and batch latencies of the machine's own load, for scale.
  idle: async () => {
    await new Promise((r) => setTimeout(r, 400));
    return PERSON_ROWS;
  },
};
const order = (process.env.WAYS ?? 'thread,route').split(',');
for (const way of order)
  if (!(way in ways)) throw new Error(`WAYS: unknown way "${way}" (inline, thread, route, idle)`);
if (order.length * ROUNDS > 2 * ROUNDS) throw new Error('WAYS: at most two ways (the bench holds 2 * ROUNDS people)');
console.log(
  `${ROWS} processed cookieless inbox rows; each erasure removes ${PERSON_ROWS}; reads ${collector.reads.mode}; worker ${collector.workerMode}`,
);
let browser = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const way of round % 2 === 0 ? order : [...order].reverse()) {
    const r = await underLoad(() => ways[way](browser++));
    if (r.result !== PERSON_ROWS) throw new Error(`${way}: removed ${r.result} inbox rows`);
    console.log(
      `${way.padEnd(6)} erasure ${r.ms.toFixed(0)} ms; event loop busy ${r.busy.toFixed(0)} ms; longest event-loop stall ${r.stall.toFixed(1)} ms; 1-item batch p50 ${r.p50Batch.toFixed(1)} ms, max ${r.maxBatch.toFixed(1)} ms (${r.n} batches)`,
    );
  }
}
await collector.close();
await storage.close().catch(() => undefined);
rmSync(dir, { recursive: true, force: true });
