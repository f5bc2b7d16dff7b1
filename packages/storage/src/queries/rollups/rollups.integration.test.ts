// Differential test: every report read from the rollups equals the raw-row query it replaced (or, for utm values, the raw query), on both dialects.
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../storage.js';
import { rawExec, rawRows, rawRowsOf } from '../../test-support/raw-sql.js';
import { openRawConnection, type RawConnection } from '../../test-support/raw-reports/raw-connection.js';
import { rawSessionsByChannel } from '../../test-support/raw-reports/raw-count-sessions-by-channel.js';
import { rawTopLandingPages } from '../../test-support/raw-reports/raw-list-top-landing-pages.js';
import { rawTopReferrers } from '../../test-support/raw-reports/raw-list-top-referrers.js';
import { rawTopUtmValues } from '../../test-support/raw-reports/raw-list-top-utm-values.js';
import { rawStats } from '../../test-support/raw-reports/raw-read-stats.js';
import { rawTimeSeries } from '../../test-support/raw-reports/raw-read-time-series.js';
import { generateTraffic, prng } from '../../test-support/rollup-traffic.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** fast-check's seed: printed on failure, settable to replay one (TOUCHLINE_FC_SEED). */
const SEED = process.env.TOUCHLINE_FC_SEED === undefined ? undefined : Number(process.env.TOUCHLINE_FC_SEED);

/** Ranges over and around the traffic: hour-aligned, unaligned, inside one hour, empty, reversed. */
function ranges(seed: number, from: number, to: number): Array<[number, number]> {
  const rand = prng(seed ^ 0x5eed);
  const at = (): number => from - 2 * HOUR + Math.floor(rand() * (to - from + 4 * HOUR));
  const hour = (): number => Math.floor(at() / HOUR) * HOUR;
  const out: Array<[number, number]> = [[from - DAY, to + DAY], [Math.floor(from / HOUR) * HOUR, Math.ceil(to / HOUR) * HOUR]];
  for (let n = 0; n < 6; n++) {
    const [a, b] = [at(), at()];
    out.push([Math.min(a, b), Math.max(a, b)]);
  }
  for (let n = 0; n < 3; n++) {
    const [a, b] = [hour(), hour()];
    out.push([Math.min(a, b), Math.max(a, b)]);
  }
  const inside = at();
  out.push([inside, inside + Math.floor(rand() * 50 * MINUTE)], [inside, inside], [inside + HOUR, inside]);
  return out;
}

const BUCKETS = [HOUR, DAY, 25 * MINUTE, 7 * HOUR, 90 * MINUTE + 17];

async function expectSameAnswers(storage: Storage, raw: RawConnection, accountId: string, seed: number, from: number, to: number): Promise<void> {
  for (const [a, b] of ranges(seed, from, to)) {
    const where = `[${a}, ${b})`;
    expect(await storage.stats(accountId, a, b), `stats ${where}`).toEqual(await rawStats(raw.conn, accountId, a, b));
    expect(await storage.countSessionsByChannel(accountId, a, b), `channels ${where}`).toEqual(await rawSessionsByChannel(raw.conn, accountId, a, b));
    for (const limit of [3, 100]) {
      const top = { from: a, to: b, limit };
      expect(await storage.topLandingPages(accountId, top), `landing pages ${where}`).toEqual(await rawTopLandingPages(raw.conn, accountId, top));
      expect(await storage.topReferrers(accountId, top), `referrers ${where}`).toEqual(await rawTopReferrers(raw.conn, accountId, top));
      for (const field of ['source', 'medium', 'campaign'] as const) {
        const utm = { ...top, field };
        expect(await storage.topUtmValues(accountId, utm), `utm ${field} ${where}`).toEqual(await rawTopUtmValues(raw.conn, accountId, utm));
      }
    }
    if (b <= a) continue;
    for (const bucketMs of BUCKETS) {
      // Buckets counted from `from`, and (as the dashboard asks) from the hour or UTC day before it.
      for (const origin of new Set([a, Math.floor(a / HOUR) * HOUR, Math.floor(a / DAY) * DAY])) {
        if (origin <= a - bucketMs || (b - origin) / bucketMs > 2000) continue;
        const window = { from: a, to: b, bucketMs, origin };
        expect(await storage.timeSeries(accountId, window), `series ${where} / ${bucketMs} from ${origin}`).toEqual(await rawTimeSeries(raw.conn, accountId, window));
      }
    }
  }
}

/** Applies the traffic's batches; with `retainAt`, runs retention (1 day) with its cutoff at that time after batch `afterBatch`. */
async function applyTraffic(storage: Storage, seed: number, accountId: string, base: number): Promise<{ from: number; to: number }> {
  const traffic = generateTraffic(seed, accountId, base);
  const rand = prng(seed ^ 0x7e7);
  const retentionAfter = rand() < 0.6 ? Math.floor(rand() * traffic.batches.length) : -1;
  const cutoff = traffic.from + Math.floor(rand() * (traffic.to - traffic.from));
  for (const [i, batch] of traffic.batches.entries()) {
    expect(await storage.applyProcessed(batch)).toEqual({ kind: 'applied' });
    if (i === retentionAfter) await storage.maintain({ now: cutoff + DAY, retentionDays: 1 });
  }
  return traffic;
}

/**
 * Rows still owned by a ghost (`v<n>a`, `v<n>b`, see rollup-traffic.ts) once every batch is in: none,
 * whichever came first, the aliases or the ghosts' items (apply-aliases.ts). Without this the
 * differential check alone would also pass if aliases were never applied at all.
 */
async function ghostRows(db: TestStorage, accountId: string): Promise<unknown[]> {
  const ghost = (column: string): string => `account_key = (SELECT key FROM accounts WHERE id = '${accountId}')
    AND (${column} LIKE 'v_a' OR ${column} LIKE 'v_b')`;
  return (await rawRowsOf(db, [
    `SELECT id FROM visitors WHERE ${ghost('id')}`, `SELECT id FROM sessions WHERE ${ghost('visitor_id')}`,
    `SELECT id FROM events WHERE ${ghost('visitor_id')}`, `SELECT id FROM conversions WHERE ${ghost('visitor_id')}`,
    `SELECT dim, value FROM visitor_hours WHERE ${ghost('visitor_id')}`,
  ])).flat();
}

// Data starts three days ago, so PostgreSQL's monthly partitions for it exist (migrate creates this month's).
const BASE = Math.floor((Date.now() - 3 * DAY) / MINUTE) * MINUTE + 17_123;

describe.each(await storageFactories(process.env, import.meta.url))('rollups on $dialect', (factory) => {
  let db: TestStorage;
  let raw: RawConnection;
  let run = 0;
  beforeAll(async () => {
    db = await factory.open();
    raw = openRawConnection(db);
  });
  afterAll(async () => {
    await raw.close();
    await db.remove();
  });

  it('answer stats, series, top lists and sessions by channel exactly as the raw rows do, for any order, batching, replay, aliases and retention', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
      // Each run is its own account in the same database: runs never see each other's rows.
      const account = await db.storage.ensureAccount(`run-${run++}`, 1);
      const traffic = await applyTraffic(db.storage, seed, account.id, BASE);
      expect(await ghostRows(db, account.id)).toEqual([]);
      await expectSameAnswers(db.storage, raw, account.id, seed, traffic.from, traffic.to);
    }), { numRuns: factory.dialect === 'sqlite' ? 40 : 15, ...(SEED === undefined ? {} : { seed: SEED }) });
  }, 600_000);

  // A smoke test, not a proof of the per-visitor lock: the races it can hit depend on timing (it
  // passed once with the lock per session, too). It does show concurrent passes neither deadlock nor drift.
  it('answer as the raw rows do when all batches are written at once (concurrent passes on PostgreSQL)', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
      const account = await db.storage.ensureAccount(`concurrent-${run++}`, 1);
      const traffic = generateTraffic(seed, account.id, BASE);
      const outcomes = await Promise.all(traffic.batches.map((batch) => db.storage.applyProcessed(batch)));
      expect(outcomes.every((o) => o.kind === 'applied')).toBe(true);
      expect(await ghostRows(db, account.id)).toEqual([]);
      await expectSameAnswers(db.storage, raw, account.id, seed, traffic.from, traffic.to);
    }), { numRuns: 8, ...(SEED === undefined ? {} : { seed: SEED }) });
  }, 600_000);

  it('the migration builds the same rollups from raw rows as live writes maintained', async () => {
    for (const seed of [11, 12, 13]) {
      const account = await db.storage.ensureAccount(`backfill-${seed}`, 1);
      await applyTraffic(db.storage, seed, account.id, BASE);
    }
    const tables = {
      rollup_dims: 'SELECT account_key, dim, hour, value, sessions FROM rollup_dims ORDER BY 1, 2, 3, 4',
      visitor_hours: 'SELECT account_key, dim, value, visitor_id, hour, sessions FROM visitor_hours ORDER BY 1, 2, 3, 4, 5',
      visitor_gaps: 'SELECT account_key, dim, hour, value, prev_hour, visitors FROM visitor_gaps ORDER BY 1, 2, 3, 4, 5',
      rollup_items: 'SELECT account_key, hour, events, conversions, revenue_units, revenue_micros FROM rollup_items ORDER BY 1, 2',
      session_spans: 'SELECT account_key, max_span FROM session_spans ORDER BY 1',
    };
    const live = await Promise.all(Object.values(tables).map((sql) => rawRows(db, sql)));
    // The first rollups migration builds rollup_sessions (and the item rollups) from raw rows; the
    // visitor-gaps migration turns rollup_sessions into the visitor-free tables and drops it.
    // The utm migration then adds dimensions 4-6 from the sessions.
    const [first, second, third] = factory.dialect === 'sqlite'
      ? ['sqlite/009-rollups.sql', 'sqlite/010-visitor-gaps.sql', 'sqlite/015-utm-dimensions.sql']
      : ['postgres/008-rollups.sql', 'postgres/009-visitor-gaps.sql', 'postgres/014-utm-dimensions.sql'];
    const rollups = await readFile(new URL(`../../../migrations/${first}`, import.meta.url), 'utf8');
    const gaps = await readFile(new URL(`../../../migrations/${second}`, import.meta.url), 'utf8');
    const utm = await readFile(new URL(`../../../migrations/${third}`, import.meta.url), 'utf8');
    const createSessions = rollups.slice(rollups.indexOf('CREATE TABLE rollup_sessions'), rollups.indexOf('CREATE TABLE rollup_items'));
    const backfill = rollups.slice(rollups.indexOf('INSERT INTO rollup_sessions'));
    await rawExec(db, `DELETE FROM rollup_dims; DELETE FROM visitor_hours; DELETE FROM visitor_gaps; DELETE FROM rollup_items;
      DELETE FROM session_spans; ${createSessions} ${backfill} ${gaps.slice(gaps.indexOf('INSERT INTO rollup_dims'))}
      ${utm.slice(utm.indexOf('INSERT INTO rollup_dims'))}`);
    const rebuilt = await Promise.all(Object.values(tables).map((sql) => rawRows(db, sql)));
    expect(rebuilt).toEqual(live);
    expect(live[0]?.length).toBeGreaterThan(0);
    // The utm dimensions were written live and rebuilt, in every table that keeps them.
    for (const rows of live.slice(0, 3)) expect((rows as Array<{ dim: number }>).filter((r) => r.dim >= 4).length).toBeGreaterThan(0);
  }, 120_000);
});
