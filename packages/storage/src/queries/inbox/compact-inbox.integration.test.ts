// compactInbox on both dialects: done rows older than the cutoff lose their payload but stay as dedupe keys; pending, dead and recent rows keep theirs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, Storage } from '../../storage.js';
import { rawRows } from '../../test-support/raw-sql.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';
import { batch, inboxItems } from '../../test-support/temp-storage.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 15, 12);
const OLD = NOW - 5 * DAY;

describe.each(await storageFactories(process.env, import.meta.url))('compactInbox on $dialect', (factory) => {
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

  /** Every step until done, from seq 0, `limit` rows at a time. */
  async function compactAll(before: number, limit: number): Promise<{ compacted: number; steps: number }> {
    let afterSeq = 0;
    let compacted = 0;
    for (let steps = 1; ; steps++) {
      const step = await storage.compactInbox({ before, afterSeq, limit });
      compacted += step.compacted;
      afterSeq = step.lastSeq;
      if (step.done) return { compacted, steps };
    }
  }

  const payloads = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      (await rawRows<{ item_id: string; payload: string }>(db, 'SELECT item_id, payload FROM inbox ORDER BY seq')).map(
        (r) => [r.item_id, r.payload],
      ),
    );

  it('drops the payload of done rows received before the cutoff, keeps their dedupe keys, and leaves pending, dead and recent rows whole', async () => {
    await storage.insertInbox(acc.id, inboxItems('old', 7), OLD);
    const old = await storage.claimInbox({ limit: 10, leaseMs: 1000 * DAY, now: OLD });
    await storage.insertInbox(acc.id, inboxItems('new', 5), NOW - DAY);
    const recent = await storage.claimInbox({ limit: 10, leaseMs: 1000, now: NOW });
    await storage.applyProcessed(
      batch({ done: old.slice(0, 5).map((r) => r.seq), dead: [{ seq: old[5]!.seq, error: 'poison' }] }),
    );
    await storage.applyProcessed(batch({ done: recent.map((r) => r.seq) }));

    const run = await compactAll(NOW - 2 * DAY, 2);

    expect(run).toEqual({ compacted: 5, steps: 5 });
    const after = await payloads();
    // SQLite keeps the row with an empty payload (its UNIQUE key is the dedupe key); PostgreSQL deletes
    // it (the dedupe key lives in inbox_keys).
    expect(Object.keys(after)).toHaveLength(factory.dialect === 'sqlite' ? 12 : 7);
    for (let i = 0; i < 5; i++) expect(after[`old-${i}`]).toBe(factory.dialect === 'sqlite' ? '' : undefined);
    expect(after['old-5']).toBe(JSON.stringify({ n: 5 })); // dead-lettered: kept for whoever looks into why
    expect(after['old-6']).toBe(JSON.stringify({ n: 6 })); // still pending: the worker needs it
    for (let i = 0; i < 5; i++) expect(after[`new-${i}`]).toBe(JSON.stringify({ n: i }));
    // Every compacted item is still a duplicate when re-sent: the row (PostgreSQL: its inbox_keys entry) stays.
    expect(await storage.insertInbox(acc.id, inboxItems('old', 7), NOW)).toEqual({ inserted: 0, duplicates: 7 });
    // The session repair reads processed payloads only: compacted rows count as gone.
    const left = await storage.readProcessedInbox({ accountId: acc.id, afterSeq: 0, limit: 100 });
    expect(left.rows.map((r) => r.itemId)).toEqual(['new-0', 'new-1', 'new-2', 'new-3', 'new-4']);
    expect(await storage.inboxHealth()).toEqual({ pending: 1, dead: 1, oldestPendingAt: OLD });
    // Compacted rows' keys are still pruned at their time (the rows too, where they are kept).
    const prune = await storage.pruneInbox({ before: NOW, afterSeq: 0, limit: 100 });
    expect(prune).toMatchObject({ deleted: factory.dialect === 'sqlite' ? 10 : 5, done: true });
    expect(await storage.pruneInbox({ before: NOW, afterSeq: 0, limit: 100 })).toMatchObject({
      deleted: 0,
      done: true,
    });
    expect(await storage.insertInbox(acc.id, inboxItems('old', 7), NOW)).toEqual({ inserted: 5, duplicates: 2 });
  });

  it('is idempotent: a second walk compacts nothing, and an empty inbox is done in one step', async () => {
    expect(await storage.compactInbox({ before: NOW, afterSeq: 0, limit: 100 })).toEqual({
      compacted: 0,
      lastSeq: 0,
      done: true,
    });
    await storage.insertInbox(acc.id, inboxItems('a', 3), OLD);
    await storage.applyProcessed(
      batch({ done: (await storage.claimInbox({ limit: 10, leaseMs: 1000, now: OLD })).map((r) => r.seq) }),
    );
    expect(await compactAll(NOW, 100)).toEqual({ compacted: 3, steps: 1 });
    expect(await compactAll(NOW, 100)).toEqual({ compacted: 0, steps: 1 });
  });
});
