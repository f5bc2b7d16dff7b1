// Bench (in process, SQLite): one user id shared by thousands of visitors (a test login, a sign-in bug), the
// person that took the 1M WAL soak past its bound. Times, on a fresh file per size, the identify walk from one
// of its visitors as it is now (visitors and user ids expanded once, person-walk-sql.ts) against the walk before
// it (visitor -> both identity rows -> visitor, kept here as the baseline), the journey refresher catching up
// (the person held live), and journeyFacts / attributionFacts over its window. The end-to-end figure is the
// soak itself (`node bench/wal-soak.mjs --items 1000000`: WAL peak, processing, attribution p50 over HTTP).
// Usage: node bench/giant-person.mjs [--visitors 1050,6390] [--conversions 3] [--repeat 5] [--out FILE]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openSqliteStorage } from '../packages/storage/dist/index.js';
import { walkCtes } from '../packages/storage/dist/queries/attribution/person-walk-sql.js';
import { machine, writeResult } from './figures/result-file.mjs';

const DAY = 86_400_000;
const { values } = parseArgs({
  options: {
    visitors: { type: 'string', default: '1050,6390' },
    conversions: { type: 'string', default: '3' },
    repeat: { type: 'string', default: '5' },
    out: { type: 'string' },
  },
});
const sizes = values.visitors.split(',').map(Number);
const conversions = Number(values.conversions);
const repeat = Number(values.repeat);
for (const n of [...sizes, conversions, repeat])
  if (!Number.isInteger(n) || n < 1) throw new Error('--visitors, --conversions and --repeat take positive integers');

const OLD_WALK = `WITH RECURSIVE person(visitor_id) AS (
    SELECT @visitor
    UNION
    SELECT i2.visitor_id FROM person p
      CROSS JOIN identities i1 INDEXED BY identities_by_visitor ON i1.account_key = @k AND i1.visitor_id = p.visitor_id
      CROSS JOIN identities i2 ON i2.account_key = @k AND i2.user_id = i1.user_id
  ) SELECT visitor_id AS v FROM person`;
const NEW_WALK = `WITH RECURSIVE ${walkCtes('sqlite', 'SELECT @visitor AS visitor_id', '@k')} SELECT visitor_id AS v FROM person`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = async (f) => {
  const t = performance.now();
  const result = await f();
  return { ms: performance.now() - t, result };
};

const rows = [];
for (const n of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-giant-'));
  try {
    const file = join(dir, 'giant.db');
    const storage = await openSqliteStorage({ path: file });
    await storage.migrate();
    const account = await storage.ensureAccount('giant', 1);
    const t = Date.now() - 10 * DAY;
    const id = (i) => `device-${String(i).padStart(6, '0')}`;
    const batch = {
      visitors: [],
      events: [],
      aliases: [],
      done: [],
      dead: [],
      sessions: Array.from({ length: n }, (_, i) => ({
        accountId: account.id,
        id: `${id(i)}-s`,
        visitorId: id(i),
        startedAt: t - (i + 1) * 60_000,
        lastSeenAt: t - i * 60_000,
        landing: null,
        eventCount: 0,
        pageviewCount: 1,
      })),
      identities: Array.from({ length: n }, (_, i) => ({
        accountId: account.id,
        userId: 'shared-test-login',
        visitorId: id(i),
        timestamp: t,
        traits: '{}',
        traitsAt: 1,
      })),
      conversions: Array.from({ length: conversions }, (_, i) => ({
        accountId: account.id,
        id: `order-${i}`,
        name: 'purchase',
        visitorId: id(i),
        sessionId: `${id(i)}-s`,
        timestamp: t + i,
        revenue: 10,
        currency: 'EUR',
        properties: '{}',
      })),
    };
    const applied = await storage.applyProcessed(batch);
    if (applied.kind !== 'applied') throw new Error(`applyProcessed: ${JSON.stringify(applied)}`);
    const refresh = await ms(async () => {
      let held = 0;
      let steps = 0;
      for (;;) {
        const step = await storage.refreshJourneys({ limit: 50 });
        held += step.held ?? 0;
        steps += 1;
        if (step.done) return { held, steps };
      }
    });
    const window = { from: t - DAY, to: t + DAY, lookbackMs: 30 * DAY, maxSessions: 1_000_000 };
    const journeyFacts = [];
    const attributionFacts = [];
    for (let i = 0; i < repeat; i++) {
      journeyFacts.push((await ms(() => storage.journeyFacts(account.id, window))).ms);
      attributionFacts.push((await ms(() => storage.attributionFacts(account.id, window))).ms);
    }
    await storage.close();
    const db = new Database(file, { readonly: true });
    const k = db.prepare('SELECT key FROM accounts WHERE id = ?').get(account.id).key;
    const walk = (sql) => {
      const times = [];
      let found = 0;
      for (let i = 0; i < repeat; i++) {
        const t0 = performance.now();
        found = db.prepare(sql).all({ visitor: id(n - 1), k }).length;
        times.push(performance.now() - t0);
      }
      return { ms: median(times), visitors: found };
    };
    const before = walk(OLD_WALK);
    const now = walk(NEW_WALK);
    db.close();
    if (before.visitors !== n || now.visitors !== n)
      throw new Error(`walks found ${before.visitors} / ${now.visitors} visitors, expected ${n}`);
    rows.push({
      visitors: n,
      conversions,
      walkBeforeMs: before.ms,
      walkMs: now.ms,
      refreshMs: refresh.ms,
      refreshSteps: refresh.result.steps,
      held: refresh.result.held,
      journeyFactsMs: median(journeyFacts),
      attributionFactsMs: median(attributionFacts),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const f = (x) => x.toFixed(1);
console.log(
  '| visitors on one user id | walk before | walk now | before / now | refresher caught up (steps, held) | journeyFacts p50 | attributionFacts p50 |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.visitors} | ${f(r.walkBeforeMs)} ms | ${f(r.walkMs)} ms | ${(r.walkBeforeMs / r.walkMs).toFixed(0)}x | ${f(r.refreshMs)} ms (${r.refreshSteps}, ${r.held}) | ${f(r.journeyFactsMs)} ms | ${f(r.attributionFactsMs)} ms |`,
  );
if (values.out) writeResult(values.out, { bench: 'giant-person', machine: machine(), conversions, repeat, rows });
