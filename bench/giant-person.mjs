// Bench (in process, SQLite): one user id shared by thousands of visitors (a test login, a sign-in bug), the
// person that took the 1M WAL soak past its bound. Times, on a fresh file per size, the identify walk from one
// of its visitors as it is now (visitors and user ids expanded once, person-walk-sql.ts) against the walk before
// it (visitor -> both identity rows -> visitor, kept here as the baseline), the journey refresher catching up
// (the person held live), and journeyFacts / attributionFacts over its window. The end-to-end figure is the
// soak itself (`node bench/wal-soak.mjs --items 1000000`: WAL peak, processing, attribution p50 over HTTP).
// Usage: node bench/giant-person.mjs [--visitors 1050,6390] [--conversions 3] [--repeat 5] [--out FILE]
// Over HTTP: node bench/giant-person.mjs --http --base DIR [--visitors 6390] [--repeat 5] [--out FILE]
//   A demo account (`touchline demo --days 30 --sessions-per-day 2000 --mix realistic`, loaded by DIR's CLI) plus the giant
//   person (its sessions and conversions in the window, written by DIR's storage), copied once per side; each side starts
//   its own `touchline serve` on its copy (A: this checkout, B: DIR, a checkout built as bench/first-request.mjs says),
//   waits --settle-seconds (10) for its refresher, then times GET /api/v1/attribution?model=linear over the 30 days
//   (--repeat sequential requests) and one conversion's journey, and reads the WAL and the journey marks left.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openSqliteStorage } from '../packages/storage/dist/index.js';
import { walkCtes } from '../packages/storage/dist/queries/attribution/person-walk-sql.js';
import { machine, writeResult } from './figures/result-file.mjs';
import { spawnServe, listeningUrl } from './serve-process.mjs';

const DAY = 86_400_000;
const { values } = parseArgs({
  options: {
    visitors: { type: 'string', default: '1050,6390' },
    conversions: { type: 'string', default: '3' },
    repeat: { type: 'string', default: '5' },
    out: { type: 'string' },
    http: { type: 'boolean', default: false },
    base: { type: 'string' },
    'settle-seconds': { type: 'string', default: '10' },
    'request-timeout-seconds': { type: 'string', default: '120' },
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

/** The giant person as one processed batch: N visitors, one session each before `t`, one user id, `conversions` orders. */
function giantBatch(accountId, n, t) {
  const id = (i) => `device-${String(i).padStart(6, '0')}`;
  return {
    id,
    batch: {
      visitors: [],
      events: [],
      aliases: [],
      done: [],
      dead: [],
      sessions: Array.from({ length: n }, (_, i) => ({
        accountId,
        id: `${id(i)}-s`,
        visitorId: id(i),
        startedAt: t - (i + 1) * 60_000,
        lastSeenAt: t - i * 60_000,
        landing: null,
        eventCount: 0,
        pageviewCount: 1,
      })),
      identities: Array.from({ length: n }, (_, i) => ({
        accountId,
        userId: 'shared-test-login',
        visitorId: id(i),
        timestamp: t,
        traits: '{}',
        traitsAt: 1,
      })),
      conversions: Array.from({ length: conversions }, (_, i) => ({
        accountId,
        id: `order-${i}`,
        name: 'purchase',
        visitorId: id(i),
        sessionId: `${id(i)}-s`,
        timestamp: t + i,
        revenue: 10,
        currency: 'EUR',
        properties: '{}',
      })),
    },
  };
}

if (values.http) {
  await overHttp();
  process.exit(0);
}

const rows = [];
for (const n of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-giant-'));
  try {
    const file = join(dir, 'giant.db');
    const storage = await openSqliteStorage({ path: file });
    await storage.migrate();
    const account = await storage.ensureAccount('giant', 1);
    const t = Date.now() - 10 * DAY;
    const { id, batch } = giantBatch(account.id, n, t);
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

/** Starts `touchline serve` (the CLI at `bin`) on `db`; resolves when it listens. */
async function startServe(bin, db) {
  const child = spawnServe(db, { bin, env: { TOUCHLINE_RATE_LIMIT: 'off' } });
  const url = await listeningUrl(child);
  return {
    url,
    /** SIGTERM, then SIGKILL after `graceMs`; resolves with the ms until exit and whether it had to be killed. */
    stop: (graceMs) =>
      new Promise((done) => {
        const t0 = performance.now();
        let killed = false;
        const timer = setTimeout(() => {
          killed = true;
          child.kill('SIGKILL');
        }, graceMs);
        child.once('exit', () => {
          clearTimeout(timer);
          done({ ms: performance.now() - t0, killed });
        });
        child.kill('SIGTERM');
      }),
  };
}

async function overHttp() {
  if (values.base === undefined) throw new Error('--http needs --base DIR: the checkout to compare with');
  const here = fileURLToPath(new URL('../packages/cli/bin/touchline.mjs', import.meta.url));
  const baseDir = resolve(values.base);
  const baseBin = join(baseDir, 'packages/cli/bin/touchline.mjs');
  if (!existsSync(baseBin)) throw new Error(`--base ${baseDir}: no packages/cli/bin/touchline.mjs there`);
  const n = sizes[0];
  const settleMs = Number(values['settle-seconds']) * 1000;
  const timeoutMs = Number(values['request-timeout-seconds']) * 1000;
  const NOW = '2026-12-05T12:00:00Z';
  const dir = mkdtempSync(join(tmpdir(), 'touchline-giant-http-'));
  try {
    const seed = join(dir, 'seed.db');
    const demo = spawnSync(
      process.execPath,
      [
        baseBin,
        'demo',
        '--db',
        seed,
        '--days',
        '30',
        '--sessions-per-day',
        '2000',
        '--mix',
        'realistic',
        '--now',
        NOW,
        '--json',
      ],
      { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
    );
    if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);
    const info = JSON.parse(demo.stdout.trim().split('\n').pop());
    const { openSqliteStorage: openBase } = await import(join(baseDir, 'packages/storage/dist/index.js'));
    const storage = await openBase({ path: seed });
    const t = Date.parse(NOW) - 10 * DAY;
    const { batch } = giantBatch(info.account_id, n, t);
    const applied = await storage.applyProcessed(batch);
    if (applied.kind !== 'applied') throw new Error(`applyProcessed: ${JSON.stringify(applied)}`);
    await storage.close();
    const from = new Date(Date.parse(NOW) - 30 * DAY).toISOString();
    const attribution = `/api/v1/attribution?model=linear&lookback_days=30&from=${from}&to=${NOW}`;
    const sides = [];
    for (const [name, bin] of [
      ['A (this checkout)', here],
      [`B (${baseDir})`, baseBin],
    ]) {
      const db = join(dir, `${name[0]}.db`);
      copyFileSync(seed, db);
      const serve = await startServe(bin, db);
      let side = null;
      try {
        await new Promise((r) => setTimeout(r, settleMs));
        const headers = { authorization: `Bearer ${info.key}` };
        const times = [];
        let answer = null;
        let timedOut = false;
        // A request past the timeout ends the side's series: the old walk takes minutes per answer.
        const limited = () => ({ headers, signal: AbortSignal.timeout(timeoutMs) });
        for (let i = 0; i < repeat && !timedOut; i++) {
          const t0 = performance.now();
          try {
            const res = await fetch(`${serve.url}${attribution}`, limited());
            answer = await res.json();
            if (res.status !== 200)
              throw new Error(`${name}: attribution HTTP ${res.status} ${JSON.stringify(answer)}`);
            times.push(performance.now() - t0);
          } catch (error) {
            if (error?.name !== 'TimeoutError') throw error;
            timedOut = true;
          }
        }
        const j0 = performance.now();
        let journeyStatus = 'timed out';
        try {
          const journey = await fetch(`${serve.url}/api/v1/conversions/order-0/journey`, limited());
          await journey.text();
          journeyStatus = `HTTP ${journey.status}`;
        } catch (error) {
          if (error?.name !== 'TimeoutError') throw error;
        }
        const journeyMs = performance.now() - j0;
        const wal = existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0;
        const check = new Database(db, { readonly: true });
        const marks = check.prepare('SELECT COUNT(*) AS n FROM journey_dirty').get().n;
        check.close();
        side = {
          name,
          answered: times.length,
          timedOut,
          attributionP50Ms: times.length === 0 ? null : median(times),
          attributionMaxMs: times.length === 0 ? null : Math.max(...times),
          conversions: answer?.conversions,
          journeyStatus,
          journeyMs,
          walMiB: wal / 2 ** 20,
          marksLeft: marks,
        };
      } finally {
        // The old refresher's step over the giant person does not end, nor does a graceful stop waiting for it.
        const stopped = await serve.stop(30_000);
        if (side !== null) {
          side.stop = stopped;
          sides.push(side);
          console.log(`${name}: ${JSON.stringify(side)}`);
        }
      }
    }
    const [a, b] = sides;
    if (a.conversions !== b.conversions)
      throw new Error(`the sides disagree: ${a.conversions} vs ${b.conversions} conversions`);
    console.log(
      `${n} visitors on one user id (${conversions} of their orders in the window) on a 30-day demo account; settle ${settleMs / 1000} s, ${repeat} requests`,
    );
    console.log(
      '| side | attribution linear 30 d p50 (max) | one journey | WAL after | journey marks left | SIGTERM to exit |',
    );
    console.log('|---|---|---|---|---|---|');
    const p50 = (x) =>
      x.attributionP50Ms === null
        ? `none within ${timeoutMs / 1000} s`
        : `${x.attributionP50Ms.toFixed(0)} ms (max ${x.attributionMaxMs.toFixed(0)}; ${x.answered} answered${x.timedOut ? `, then one past ${timeoutMs / 1000} s` : ''})`;
    for (const x of sides)
      console.log(
        `| ${x.name} | ${p50(x)} | ${x.journeyMs.toFixed(0)} ms (${x.journeyStatus}) | ${x.walMiB.toFixed(1)} MiB | ${x.marksLeft} | ${x.stop.killed ? 'none within 30 s (killed)' : `${x.stop.ms.toFixed(0)} ms`} |`,
      );
    if (a.attributionP50Ms !== null && b.attributionP50Ms !== null)
      console.log(`B / A attribution p50: ${(b.attributionP50Ms / a.attributionP50Ms).toFixed(1)}x`);
    if (values.out)
      writeResult(values.out, {
        bench: 'giant-person-http',
        machine: machine(),
        visitors: n,
        conversions,
        repeat,
        settleMs,
        sides,
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
