// Bench: one funnel report over synthetic shop traffic in SQLite, against its own item query alone and a linear attribution of the same range (same-run ratios).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attribute, funnelReport } from '../packages/server/dist/index.js';
import { openSqliteStorage } from '../packages/storage/dist/index.js';

const VISITORS = Number(process.env.FUNNEL_BENCH_VISITORS ?? 20_000);
const CHANNELS = ['email', 'direct', 'paid_search', 'organic_search', 'referral'];
const PAGES = ['/', '/product/1', '/product/2', '/cart', '/blog/a'];
const T0 = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400_000;

/** mulberry32: the same traffic on every run. */
function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function visitorBatch(accountId, v, random) {
  const out = { visitors: [], sessions: [], events: [], conversions: [], identities: [], done: [], dead: [] };
  const sessions = 1 + Math.floor(random() * 3);
  for (let s = 0; s < sessions; s++) {
    const id = `v${v}-s${s}`;
    const start = T0 + Math.floor(random() * 28 * DAY);
    const items = 2 + Math.floor(random() * 6);
    out.sessions.push({
      accountId,
      id,
      visitorId: `v${v}`,
      startedAt: start,
      lastSeenAt: start + items * 60_000,
      eventCount: items,
      pageviewCount: items,
      landing: {
        rank: 3,
        at: start,
        itemId: `${id}-0`,
        url: 'https://shop.example/',
        host: 'shop.example',
        referrer: null,
        channel: CHANNELS[Math.floor(random() * CHANNELS.length)],
        utm: {},
        clickIds: {},
      },
    });
    for (let i = 0; i < items; i++) {
      const at = start + i * 60_000;
      const r = random();
      if (r < 0.15)
        out.events.push({
          accountId,
          id: `${id}-${i}`,
          type: 'event',
          name: 'add_to_cart',
          visitorId: `v${v}`,
          sessionId: id,
          timestamp: at,
          url: null,
          properties: '{}',
        });
      else if (r < 0.2)
        out.conversions.push({
          accountId,
          id: `${id}-${i}`,
          name: 'purchase',
          visitorId: `v${v}`,
          sessionId: id,
          timestamp: at,
          revenue: 20,
          currency: 'EUR',
          properties: '{}',
        });
      else
        out.events.push({
          accountId,
          id: `${id}-${i}`,
          type: 'pageview',
          name: null,
          visitorId: `v${v}`,
          sessionId: id,
          timestamp: at,
          url: `https://shop.example${PAGES[Math.floor(random() * PAGES.length)]}`,
          properties: '{}',
        });
    }
  }
  return out;
}

async function time(fn, runs = 3) {
  let best = Infinity;
  let result;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    result = await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { ms: best, result };
}

const dir = mkdtempSync(join(tmpdir(), 'touchline-funnel-bench-'));
const storage = openSqliteStorage({ path: join(dir, 'bench.db') });
try {
  await storage.migrate();
  const account = await storage.ensureAccount('bench', 1);
  const random = createRandom(7);
  for (let v = 0; v < VISITORS; v += 500) {
    const parts = Array.from({ length: Math.min(500, VISITORS - v) }, (_, i) =>
      visitorBatch(account.id, v + i, random),
    );
    await storage.applyProcessed(Object.fromEntries(Object.keys(parts[0]).map((k) => [k, parts.flatMap((p) => p[k])])));
  }
  const stats = await storage.stats(account.id, T0, T0 + 30 * DAY);
  for (const [id, kind, match] of [
    ['product', 'pageview', '/product/*'],
    ['cart', 'event', 'add_to_cart'],
    ['buy', 'conversion', 'purchase'],
  ]) {
    await storage.saveGoal(account.id, { id, name: id, kind, match, createdAt: 1, updatedAt: 1 });
  }
  await storage.saveFunnel(account.id, {
    id: 'f',
    name: 'shop',
    windowMs: 7 * DAY,
    steps: ['product', 'cart', 'buy'],
    createdAt: 1,
    updatedAt: 1,
  });
  const range = { from: T0, to: T0 + 30 * DAY };
  const items = await time(() =>
    storage.funnelItems(account.id, {
      from: range.from,
      until: range.to + 7 * DAY,
      maxRows: 2_000_000,
      goals: [
        { kind: 'pageview', match: '/product/*' },
        { kind: 'event', match: 'add_to_cart' },
        { kind: 'conversion', match: 'purchase' },
      ],
    }),
  );
  const report = await time(() =>
    funnelReport(storage, { accountId: account.id, funnelId: 'f', ...range, unit: 'visitor' }),
  );
  const linear = await time(() =>
    attribute(storage, { accountId: account.id, model: 'linear', ...range, lookbackDays: 30 }),
  );
  console.log(
    `funnel bench: ${stats.visitors} visitors, ${stats.sessions} sessions, ${stats.events} events, ${stats.conversions} conversions (SQLite, best of 3)`,
  );
  console.log(`  item query alone      ${items.ms.toFixed(0)} ms (${items.result.items.length} matched rows)`);
  console.log(
    `  funnel report         ${report.ms.toFixed(0)} ms (steps ${report.result.steps.map((s) => s.count).join(' > ')})`,
  );
  console.log(`  linear attribution    ${linear.ms.toFixed(0)} ms`);
  console.log(`  report / item query   ${(report.ms / items.ms).toFixed(2)}x (the counting's share on top of SQL)`);
  console.log(`  report / attribution  ${(report.ms / linear.ms).toFixed(2)}x`);
} finally {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
}
