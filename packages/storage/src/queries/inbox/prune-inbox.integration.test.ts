// pruneInbox on both dialects: done rows older than the cutoff go with their dedupe keys, a step at a time; pending, dead and recent rows stay.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, Storage } from '../../storage.js';
import { queryTestSchema, storageFactories, type TestStorage } from '../../test-support/storage-factories.js';
import { batch, inboxItems } from '../../test-support/temp-storage.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 15, 12);
const OLD = NOW - 40 * DAY;

describe.each(await storageFactories(process.env, import.meta.url))('pruneInbox on $dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  let acc: Account;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
    acc = await storage.ensureAccount('acme', 1);
  });
  afterEach(async () => {
    await db.remove();
  });

  /** Every step until done, as the collector's pruner walks: from seq 0, `limit` rows at a time. */
  async function pruneAll(before: number, limit: number): Promise<{ deleted: number; steps: number }> {
    let afterSeq = 0;
    let deleted = 0;
    for (let steps = 1; ; steps++) {
      const step = await storage.pruneInbox({ before, afterSeq, limit });
      deleted += step.deleted;
      afterSeq = step.lastSeq;
      if (step.done) return { deleted, steps };
    }
  }

  it('deletes done rows received before the cutoff in bounded steps, and keeps pending, dead-lettered and recent rows', async () => {
    await storage.insertInbox(acc.id, inboxItems('old', 7), OLD);
    const old = await storage.claimInbox({ limit: 10, leaseMs: 1000 * DAY, now: OLD });
    await storage.insertInbox(acc.id, inboxItems('new', 5), NOW - DAY);
    const recent = await storage.claimInbox({ limit: 10, leaseMs: 1000, now: NOW });
    // old-0..4 done, old-5 dead-lettered, old-6 never finished (still pending); the recent ones done.
    await storage.applyProcessed(
      batch({ done: old.slice(0, 5).map((r) => r.seq), dead: [{ seq: old[5]!.seq, error: 'poison' }] }),
    );
    await storage.applyProcessed(batch({ done: recent.map((r) => r.seq) }));

    const run = await pruneAll(NOW - 32 * DAY, 2);

    expect(run.deleted).toBe(5);
    // 12 rows, 2 a step: old-6 goes with new-0, and the walk stops at the first step with nothing old
    // enough (new-1, new-2) instead of reading on to the end.
    expect(run.steps).toBe(5);
    expect(await storage.inboxHealth()).toEqual({ pending: 1, dead: 1, oldestPendingAt: OLD });
    const left = await storage.readProcessedInbox({ accountId: acc.id, afterSeq: 0, limit: 100 });
    expect(left.rows.map((r) => r.itemId)).toEqual(['new-0', 'new-1', 'new-2', 'new-3', 'new-4']);
    // Recent items are still duplicates; a pruned item's key is gone with its row (the collector
    // rejects an item that old before it reaches the inbox: see inboxKeepDays).
    expect(await storage.insertInbox(acc.id, inboxItems('new', 5), NOW)).toEqual({ inserted: 0, duplicates: 5 });
    expect(await storage.insertInbox(acc.id, inboxItems('old', 6), NOW)).toEqual({ inserted: 5, duplicates: 1 });
    if (factory.dialect === 'postgres') {
      const keys = await queryTestSchema<{ n: number }>(
        db.url,
        "SELECT COUNT(*)::integer AS n FROM inbox_keys WHERE item_id LIKE 'old-%'",
      );
      expect(keys[0]?.n).toBe(7); // old-5 and old-6 kept theirs; old-0..4 have new ones from the insert above
    }
  });

  it('on an empty inbox, or with nothing old enough, is done in one step', async () => {
    expect(await storage.pruneInbox({ before: NOW, afterSeq: 0, limit: 100 })).toEqual({
      deleted: 0,
      lastSeq: 0,
      done: true,
    });
    await storage.insertInbox(acc.id, inboxItems('new', 3), NOW);
    await storage.applyProcessed(
      batch({ done: (await storage.claimInbox({ limit: 10, leaseMs: 1000, now: NOW })).map((r) => r.seq) }),
    );
    expect(await pruneAll(NOW - 32 * DAY, 2)).toEqual({ deleted: 0, steps: 1 });
  });
});
