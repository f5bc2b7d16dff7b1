// Bench: materialized journeys (docs/read-model.md) against the live converter read, in process, as same-run medians of alternating runs.
// On a copy of a kept demo file (or the demo loaded into PostgreSQL): the refresher's build of every journey (visitors/s),
// p50/p95 per per-journey model of read + journeys + model with converterFacts (before) and journeyFacts (after), answers
// checked equal, and one conversion's journey. With --base-storage (another checkout's built packages/storage, e.g. the
// commit before this one), the ingest cost: processed items/s of applyProcessed with the journey marks vs without them.
//   node bench/journeys.mjs --data FILE.db [--rounds 9] [--lookback 30] [--base-storage BASE/packages/storage]
//   node bench/journeys.mjs --pg URL --demo FILE.json [--rounds 9] [--base-storage BASE/packages/storage]
// --ingest-only skips the reads (the ingest arms need no demo file then, but --data or --pg still names the dialect).
// --out FILE writes the result file the README's materialized-journeys block is rendered from. A SQLite file without its
// demo JSON (FILE.db.json) is read as the one account it holds.
import { isDeepStrictEqual } from 'node:util';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { attributeFacts, JOURNEY_MODELS, journeyAnswer } from '../packages/attribution/dist/index.js';
import { openPostgresStorage, openSqliteStorage } from '../packages/storage/dist/index.js';
import { machine, writeResult } from './figures/result-file.mjs';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-05T12:00:00Z');
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const fmt = (xs) => `p50 ${quantile(xs, 0.5).toFixed(0)} / p95 ${quantile(xs, 0.95).toFixed(0)} ms`;

/** Times of `rounds` alternating runs of each arm (the order flips every round, so drift hits both). */
async function alternate(rounds, arms) {
  const ms = Object.fromEntries(Object.keys(arms).map((k) => [k, []]));
  const names = Object.keys(arms);
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 ? [...names].reverse() : names) {
      const t = performance.now();
      await arms[name]();
      ms[name].push(performance.now() - t);
    }
  }
  return ms;
}

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    pg: { type: 'string' },
    demo: { type: 'string' },
    rounds: { type: 'string' },
    lookback: { type: 'string' },
    'base-storage': { type: 'string' },
    batches: { type: 'string' },
    'ingest-only': { type: 'boolean' },
    out: { type: 'string' },
  },
});
if (!values['ingest-only'] && !values.data && !(values.pg && values.demo))
  throw new Error(
    '--data FILE.db (a kept demo file: node bench/read-api.mjs --keep) or --pg URL --demo FILE.json is required',
  );
const rounds = Number(values.rounds ?? 9);
const lookbackMs = Number(values.lookback ?? 30) * DAY;
const dir = mkdtempSync(join(tmpdir(), 'touchline-journeys-'));
const dialect = values.data ? 'SQLite' : 'PostgreSQL';
const p = (xs, q) => Number(quantile(xs, q).toFixed(1));
/** What --out writes: every figure printed below. */
const result = {
  bench: 'journeys',
  date: new Date().toISOString(),
  dialect,
  settings: {
    rounds,
    lookback: lookbackMs / DAY,
    batches: Number(values.batches ?? 5),
    baseStorage: values['base-storage'] ?? null,
  },
  defaults: { rounds: 9, lookback: 30, batches: 5, baseStorage: null },
  reads: null,
  ingest: null,
};

/** The demo's account: from its JSON beside the file, or the one account a SQLite file holds. */
function demoAccount() {
  const json = values.data ? `${values.data}.json` : values.demo;
  if (existsSync(json)) return JSON.parse(readFileSync(json, 'utf8').trim().split('\n').pop()).account_id;
  if (!values.data) throw new Error(`--demo ${json}: no such file`);
  const db = new Database(values.data, { readonly: true });
  try {
    const rows = db.prepare('SELECT id FROM accounts').all();
    if (rows.length !== 1)
      throw new Error(`${values.data} holds ${rows.length} accounts and has no ${json}: which one?`);
    return rows[0].id;
  } finally {
    db.close();
  }
}

async function reads() {
  const file = join(dir, 'touchline.db');
  if (values.data) copyFileSync(values.data, file);
  const accountId = demoAccount();
  const reads = { models: {} };
  result.reads = reads;
  const storage = values.data ? openSqliteStorage({ path: file }) : openPostgresStorage({ url: values.pg });
  await storage.migrate();
  try {
    const window = { from: NOW - 30 * DAY, to: NOW, lookbackMs, maxSessions: 2_000_000 };
    // Before the refresher has run (every visitor of the demo marked): the read is exact through the live walk.
    let t = performance.now();
    const behind = await storage.journeyFacts(accountId, window);
    reads.pendingRead = { ms: Number((performance.now() - t).toFixed(1)), sessions: behind.sessions.length };
    console.log(
      `linear read before any refresh (all marks pending): ${(performance.now() - t).toFixed(0)} ms, ${behind.sessions.length} sessions`,
    );
    // Built from nothing: every journey of the data set, in the refresher's bounded steps.
    t = performance.now();
    const built = { visitors: 0, conversions: 0, steps: 0 };
    for (;;) {
      const step = await storage.refreshJourneys({ limit: 50 });
      built.visitors += step.visitors;
      built.conversions += step.conversions;
      built.steps += 1;
      if (step.done) break;
    }
    const s = (performance.now() - t) / 1000;
    reads.refresher = { ...built, seconds: Number(s.toFixed(2)) };
    console.log(
      `refresher: ${built.visitors} marked visitors, ${built.conversions} conversions rebuilt in ${built.steps} steps, ${s.toFixed(1)} s (${(built.visitors / s).toFixed(0)} visitors/s)`,
    );
    const run = async (read, model) => attributeFacts(model, await read(), { lookbackMs, grouped: false });
    const before = () => storage.converterFacts(accountId, window);
    const after = () => storage.journeyFacts(accountId, window);
    for (const model of JOURNEY_MODELS) {
      const [a, b] = [await run(before, model), await run(after, model)];
      if (!isDeepStrictEqual(a, b)) throw new Error(`${model}: the materialized answer differs from the live one`);
      const ms = await alternate(rounds, { live: () => run(before, model), materialized: () => run(after, model) });
      reads.models[model] = {
        live: { p50: p(ms.live, 0.5), p95: p(ms.live, 0.95) },
        materialized: { p50: p(ms.materialized, 0.5), p95: p(ms.materialized, 0.95) },
      };
      console.log(
        `${model.padEnd(16)} live ${fmt(ms.live)}, materialized ${fmt(ms.materialized)}, p50 ratio ${(quantile(ms.live, 0.5) / quantile(ms.materialized, 0.5)).toFixed(2)}, answers equal`,
      );
    }
    const conversions = (await storage.converterFacts(accountId, window)).conversions;
    const picks = Array.from(
      { length: Math.min(40, conversions.length) },
      (_, i) => conversions[Math.floor((i * conversions.length) / 40)],
    );
    const one = [];
    for (const c of picks) {
      t = performance.now();
      const person = await storage.personSessions(accountId, c.visitorId, {
        from: c.timestamp - lookbackMs,
        to: c.timestamp,
      });
      journeyAnswer(c, person, lookbackMs);
      one.push(performance.now() - t);
    }
    reads.oneJourney = { conversions: picks.length, p50: p(one, 0.5), p95: p(one, 0.95) };
    console.log(`one journey (personSessions + journeyAnswer, ${picks.length} conversions): ${fmt(one)}`);
  } finally {
    await storage.close();
  }
}

/** Processed batches like the worker's: 2000 items, new visitors' sessions and pageviews, 1.5% converting, 5% identified. */
function batches(accountId, count, seed) {
  let x = seed;
  const rand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const out = [];
  for (let b = 0; b < count; b++) {
    const batch = {
      visitors: [],
      sessions: [],
      events: [],
      conversions: [],
      identities: [],
      aliases: [],
      done: [],
      dead: [],
    };
    for (let v = 0; batch.events.length + batch.conversions.length + batch.identities.length < 2000; v++) {
      const visitorId = `b${seed}-${b}-${v}`;
      const at = NOW - Math.floor(rand() * 30 * DAY);
      batch.visitors.push({ accountId, id: visitorId, firstSeenAt: at, lastSeenAt: at });
      const id = `${visitorId}-s`;
      const channel = ['direct', 'organic_search', 'paid_search', 'email'][Math.floor(rand() * 4)];
      batch.sessions.push({
        accountId,
        id,
        visitorId,
        startedAt: at,
        lastSeenAt: at + 60_000,
        eventCount: 3,
        pageviewCount: 3,
        landing: {
          rank: 3,
          at,
          itemId: `${id}-0`,
          url: 'https://shop.example/p?q=1',
          host: 'shop.example',
          referrer: null,
          channel,
          utm: {},
          clickIds: {},
        },
      });
      for (let e = 0; e < 3; e++)
        batch.events.push({
          accountId,
          id: `${id}-${e}`,
          type: 'pageview',
          name: null,
          visitorId,
          sessionId: id,
          timestamp: at + e * 1000,
          url: 'https://shop.example/p',
          properties: '{}',
        });
      if (rand() < 0.015)
        batch.conversions.push({
          accountId,
          id: `${id}-c`,
          name: 'purchase',
          visitorId,
          sessionId: id,
          timestamp: at + 5000,
          revenue: 12.5,
          currency: 'EUR',
          properties: '{}',
        });
      if (rand() < 0.05)
        batch.identities.push({
          accountId,
          userId: `u${Math.floor(rand() * 1e6)}`,
          visitorId,
          timestamp: at,
          traits: '{}',
          traitsAt: at,
        });
    }
    out.push(batch);
  }
  return out;
}

async function freshStorage(mod, name) {
  if (values.data) return mod.openSqliteStorage({ path: join(dir, `${name}.db`) });
  const server = new URL(values.pg);
  server.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: server.toString() });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE; CREATE SCHEMA ${name}`);
  await client.end();
  server.searchParams.set('schema', name);
  return mod.openPostgresStorage({ url: server.toString() });
}

async function ingest() {
  const base = await import(pathToFileURL(`${resolve(values['base-storage'])}/dist/index.js`).href);
  const builds = { without: base, with: { openSqliteStorage, openPostgresStorage } };
  const stores = {};
  for (const [name, mod] of Object.entries(builds)) {
    stores[name] = await freshStorage(mod, `journeys_ingest_${name}`);
    await stores[name].migrate();
  }
  const perRound = Number(values.batches ?? 5);
  const ids = {};
  for (const name of Object.keys(builds)) ids[name] = (await stores[name].ensureAccount('bench', 1)).id;
  let round = 0;
  const items = (bs) => bs.reduce((n, b) => n + b.events.length + b.conversions.length + b.identities.length, 0);
  const apply = (name) => async () => {
    const bs = batches(ids[name], perRound, 1 + round++);
    for (const b of bs) await stores[name].applyProcessed(b);
  };
  const per = items(batches('x', perRound, 1));
  const ms = await alternate(rounds, { without: apply('without'), with: apply('with') });
  const rate = (xs) => per / (quantile(xs, 0.5) / 1000);
  result.ingest = { itemsPerRun: per, without: Math.round(rate(ms.without)), with: Math.round(rate(ms.with)) };
  console.log(
    `ingest (applyProcessed, ${perRound} batches of ~2000 items a run): without marks ${rate(ms.without).toFixed(0)} items/s, with marks ${rate(ms.with).toFixed(0)} items/s, ratio ${(rate(ms.with) / rate(ms.without)).toFixed(2)}`,
  );
  for (const s of Object.values(stores)) await s.close();
}

try {
  if (!values['ingest-only']) await reads();
  if (values['base-storage']) await ingest();
  console.log(`(${dialect}, ${rounds} alternating runs per arm, 30-day window, lookback ${lookbackMs / DAY} d)`);
  if (values.out !== undefined)
    console.log(`result written to ${writeResult(values.out, { ...result, machine: machine() })}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
