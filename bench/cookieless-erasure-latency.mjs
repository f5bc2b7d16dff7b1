// Bench: the ingest event loop while a cookieless person is erased, with erasure's matcher on the event loop (inline) against on a read thread, same run: node bench/cookieless-erasure-latency.mjs (after npm run build).
// Why: the matcher decodes and hashes every cookieless inbox row of the account (10-33 us each); on the
// event loop that holds ingest. A real collector (SQLite file, read and worker threads) holds ROWS processed
// cookieless inbox rows; each round erases a person (PERSON_ROWS of those rows) both ways, alternated, while a
// 1 ms timer measures the loop's stalls and a 1-item batch is posted every 20 ms and timed.
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
  const result = await work();
  const ms = performance.now() - t;
  await new Promise((r) => setTimeout(r, 100));
  running = false;
  await prober;
  clearInterval(timer);
  latencies.sort((a, b) => a - b);
  return {
    result,
    ms,
    stall,
    maxBatch: latencies.at(-1),
    p50Batch: latencies[Math.floor(latencies.length / 2)],
    n: latencies.length,
  };
}

const matcher = await cookielessInboxVisitor(storage, account.id, now);
const erase = (browser, cookielessItems) =>
  storage.erasePerson({
    accountId: account.id,
    subject: { kind: 'visitor', id: cookielessVisitorId(secret, ipOf(browser), uaOf(browser), 'shop.example') },
    requestedBy: 'bench',
    now: Date.now(),
    tombstoneMs: DAY,
    cookielessItems,
  });
const ways = {
  inline: (q) => storage.cookielessInboxSeqs(q, matcher),
  thread: (q) => collector.reads.run('cookielessInboxSeqs', [q, now], { internal: true }),
};
console.log(
  `${ROWS} processed cookieless inbox rows; each erasure removes ${PERSON_ROWS}; reads ${collector.reads.mode}`,
);
let browser = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const way of round % 2 === 0 ? ['inline', 'thread'] : ['thread', 'inline']) {
    const r = await underLoad(() => erase(browser++, ways[way]));
    if (r.result.removed.inbox !== PERSON_ROWS) throw new Error(`${way}: removed ${r.result.removed.inbox} inbox rows`);
    console.log(
      `${way.padEnd(6)} erasure ${r.ms.toFixed(0)} ms; longest event-loop stall ${r.stall.toFixed(1)} ms; 1-item batch p50 ${r.p50Batch.toFixed(1)} ms, max ${r.maxBatch.toFixed(1)} ms (${r.n} batches)`,
    );
  }
}
await collector.close();
await storage.close().catch(() => undefined);
rmSync(dir, { recursive: true, force: true });
