// Bench: the inbox worker's time for one day of cookieless traffic against the same traffic with cookie ids, same run, SQLite.
// Why: cookieless items cost the worker an HMAC per item, a secret lookup per pass and the re-clustering of each
// cookieless visitor's sessions (storage merges) that cookie items do not need. This prints the time per 1,000 items
// of each, the median of 3 rounds each (alternated), and the ratio. Needs the built packages: npm run build
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COOKIELESS_ID, deriveSessionId, newId } from '../packages/core/dist/index.js';
import { openSqliteStorage } from '../packages/storage/dist/index.js';
import { applyPass } from '../packages/server/dist/pipeline/apply-pass.js';
import { encodeStoredItem } from '../packages/server/dist/pipeline/stored-item-codec.js';

const BROWSERS = 2_000;
const PAGES = 10; // per browser: two visits of five pages, 3 minutes apart, the visits 2 hours apart
const PASS = 2_000; // rows per pass: the worker's default batchSize
const ROUNDS = 3;
const DAY0 = Math.floor(Date.now() / 86_400_000) * 86_400_000;
const UAS = ['Mozilla/5.0 Chrome/131.0.0.0', 'Mozilla/5.0 Firefox/133.0', 'Mozilla/5.0 Safari/604.1'];

/** One day of traffic, as items; `cookieless` sends the nil ids and lets the worker compute them. */
function traffic(cookieless) {
  const items = [];
  for (let b = 0; b < BROWSERS; b++) {
    const visitor = newId(DAY0);
    const ip = `10.${b >> 8}.${b & 255}.0`;
    for (let p = 0; p < PAGES; p++) {
      const visit = p < PAGES / 2 ? 1 : 2;
      const at = DAY0 + 3_600_000 + (b % 600) * 60_000 + (visit - 1) * 7_200_000 + (p % (PAGES / 2)) * 180_000;
      items.push({
        type: 'pageview',
        id: newId(at),
        timestamp: new Date(at).toISOString(),
        visitor_id: cookieless ? COOKIELESS_ID : visitor,
        session_id: cookieless ? COOKIELESS_ID : deriveSessionId(visitor, visit),
        context: {
          url: `https://shop.example/p${p}`,
          referrer: null,
          user_agent: UAS[b % 3],
          ip,
          utm: {},
          click_ids: {},
          session_start: null,
        },
      });
    }
  }
  // Several app servers deliver out of order: shuffle deterministically.
  return items
    .map((item, i) => [(i * 2654435761) % 4294967296, item])
    .sort((a, b) => a[0] - b[0])
    .map(([, item]) => item);
}

async function run(cookieless) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-cookieless-bench-'));
  const storage = openSqliteStorage({ path: path.join(dir, 'b.db') });
  await storage.migrate();
  const account = await storage.ensureAccount('bench', Date.now());
  const items = traffic(cookieless);
  for (let i = 0; i < items.length; i += 1000) {
    await storage.insertInbox(
      account.id,
      items.slice(i, i + 1000).map((item) => ({ itemId: item.id, type: item.type, payload: encodeStoredItem(item) })),
      Date.now(),
    );
  }
  const start = process.hrtime.bigint();
  for (;;) {
    const rows = await storage.claimInbox({ limit: PASS, leaseMs: 600_000, now: Date.now() });
    if (rows.length === 0) break;
    await applyPass(storage, rows, undefined, Date.now());
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const stats = await storage.stats(account.id, 0, Date.now() + 86_400_000);
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
  return { ms, stats };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = { cookies: [], cookieless: [] };
let last = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const mode of r % 2 === 0 ? ['cookies', 'cookieless'] : ['cookieless', 'cookies']) {
    const { ms, stats } = await run(mode === 'cookieless');
    times[mode].push(ms);
    last[mode] = stats;
  }
}
const perK = (mode) => median(times[mode]) / ((BROWSERS * PAGES) / 1000);
console.log(
  `items: ${BROWSERS * PAGES} pageviews of ${BROWSERS} browsers, passes of ${PASS}, shuffled; median of ${ROUNDS} rounds`,
);
console.log(
  `cookies:    ${perK('cookies').toFixed(1)} ms per 1,000 items (visitors ${last.cookies.visitors}, sessions ${last.cookies.sessions})`,
);
console.log(
  `cookieless: ${perK('cookieless').toFixed(1)} ms per 1,000 items (visitors ${last.cookieless.visitors}, sessions ${last.cookieless.sessions})`,
);
console.log(`ratio cookieless / cookies: ${(perK('cookieless') / perK('cookies')).toFixed(2)}`);
