// Differential test: every report read from the rollups equals the raw-row query it replaced (or, for utm values, the raw query), on both dialects.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../storage.js';
import { READ_MODEL_TABLES, readModelRows, rebuildReadModel } from '../../test-support/rebuild-read-model.js';
import { openRawConnection, type RawConnection } from '../../test-support/raw-reports/raw-connection.js';
import { expectSameAnswers } from '../../test-support/raw-reports/expect-same-answers.js';
import { rawRowsOf } from '../../test-support/raw-sql.js';
import { generateTraffic, prng } from '../../test-support/rollup-traffic.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** fast-check's seed: printed on failure, settable to replay one (TOUCHLINE_FC_SEED). */
const SEED = process.env.TOUCHLINE_FC_SEED === undefined ? undefined : Number(process.env.TOUCHLINE_FC_SEED);

/** Applies the traffic's batches; with `retainAt`, runs retention (1 day) with its cutoff at that time after batch `afterBatch`. */
async function applyTraffic(
  storage: Storage,
  seed: number,
  accountId: string,
  base: number,
): Promise<{ from: number; to: number }> {
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
  return (
    await rawRowsOf(db, [
      `SELECT id FROM visitors WHERE ${ghost('id')}`,
      `SELECT id FROM sessions WHERE ${ghost('visitor_id')}`,
      `SELECT id FROM events WHERE ${ghost('visitor_id')}`,
      `SELECT id FROM conversions WHERE ${ghost('visitor_id')}`,
      `SELECT dim, value FROM visitor_hours WHERE ${ghost('visitor_id')}`,
    ])
  ).flat();
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
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        // Each run is its own account in the same database: runs never see each other's rows.
        const account = await db.storage.ensureAccount(`run-${run++}`, 1);
        const traffic = await applyTraffic(db.storage, seed, account.id, BASE);
        expect(await ghostRows(db, account.id)).toEqual([]);
        await expectSameAnswers(db.storage, raw, account.id, seed, traffic.from, traffic.to);
      }),
      { numRuns: factory.dialect === 'sqlite' ? 40 : 15, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  }, 600_000);

  // A smoke test, not a proof of the per-visitor lock: the races it can hit depend on timing (it
  // passed once with the lock per session, too). It does show concurrent passes neither deadlock nor drift.
  it('answer as the raw rows do when all batches are written at once (concurrent passes on PostgreSQL)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const account = await db.storage.ensureAccount(`concurrent-${run++}`, 1);
        const traffic = generateTraffic(seed, account.id, BASE);
        const outcomes = await Promise.all(traffic.batches.map((batch) => db.storage.applyProcessed(batch)));
        expect(outcomes.every((o) => o.kind === 'applied')).toBe(true);
        expect(await ghostRows(db, account.id)).toEqual([]);
        await expectSameAnswers(db.storage, raw, account.id, seed, traffic.from, traffic.to);
      }),
      { numRuns: 8, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  }, 600_000);

  it('the migration builds the same rollups from raw rows as live writes maintained', async () => {
    for (const seed of [11, 12, 13]) {
      const account = await db.storage.ensureAccount(`backfill-${seed}`, 1);
      await applyTraffic(db.storage, seed, account.id, BASE);
    }
    const tables = {
      ...READ_MODEL_TABLES,
      session_spans: 'SELECT account_key, max_span FROM session_spans ORDER BY 1',
    };
    const live = await readModelRows(db, tables);
    await rebuildReadModel(db);
    const rebuilt = await readModelRows(db, tables);
    expect(rebuilt).toEqual(live);
    expect(live[0]?.length).toBeGreaterThan(0);
    // The utm dimensions were written live and rebuilt, in every table that keeps them.
    for (const rows of live.slice(0, 3))
      expect((rows as Array<{ dim: number }>).filter((r) => r.dim >= 4).length).toBeGreaterThan(0);
  }, 120_000);
});
