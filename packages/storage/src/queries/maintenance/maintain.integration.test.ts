// maintain on both dialects: retention drops old events and processed inbox rows, never pending ones; PostgreSQL partitions move and drop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, Storage } from '../../storage.js';
import {
  queryTestSchema as inSchema,
  storageFactories,
  type TestStorage,
} from '../../test-support/storage-factories.js';
import { batch, event, inboxItems } from '../../test-support/temp-storage.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 15, 12); // 15 June 2026
const OLD = NOW - 100 * DAY; // 7 March 2026

const factories = await storageFactories(process.env, import.meta.url);

describe.each(factories)('maintain on $dialect', (factory) => {
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

  it('without a retention only prepares partitions and deletes nothing', async () => {
    await storage.applyProcessed(batch({ events: [event(acc.id, { id: 'e-old', visitorId: 'v', timestamp: OLD })] }));
    const result = await storage.maintain({ now: NOW, retentionDays: null });
    expect(result.rowsDeleted).toBe(0);
    expect(result.partitionsDropped).toEqual([]);
    expect((await storage.stats(acc.id, 0, NOW)).events).toBe(1);
  });

  it('drops events and processed inbox rows older than the retention, and keeps pending rows and recent data', async () => {
    // The old months' partitions exist, as they would have when that data arrived.
    await storage.maintain({ now: OLD, retentionDays: null });
    await storage.maintain({ now: NOW, retentionDays: null });
    await storage.insertInbox(acc.id, inboxItems('old', 3), OLD);
    const oldRows = await storage.claimInbox({ limit: 10, leaseMs: 1000 * DAY, now: OLD }); // leased past NOW
    await storage.insertInbox(acc.id, inboxItems('new', 2), NOW);
    const newRows = await storage.claimInbox({ limit: 10, leaseMs: 1000, now: NOW });
    // Two old rows done and one dead; the third old one, old-2, is never finished: it stays pending.
    await storage.applyProcessed(
      batch({
        done: [oldRows[0]!.seq],
        dead: [{ seq: oldRows[1]!.seq, error: 'poison' }],
        events: [event(acc.id, { id: 'e-old', visitorId: 'v', timestamp: OLD })],
      }),
    );
    await storage.applyProcessed(
      batch({
        done: newRows.map((r) => r.seq),
        events: [event(acc.id, { id: 'e-new', visitorId: 'v', timestamp: NOW - DAY })],
      }),
    );

    const result = await storage.maintain({ now: NOW, retentionDays: 30 });

    expect(await storage.stats(acc.id, 0, NOW)).toMatchObject({ events: 1 });
    expect(await storage.inboxHealth()).toEqual({ pending: 1, dead: 0, oldestPendingAt: OLD });
    const reclaimed = await storage.claimInbox({ limit: 10, leaseMs: 1000, now: NOW + 1000 * DAY });
    expect(reclaimed.map((r) => [r.itemId, r.payload])).toEqual([['old-2', JSON.stringify({ n: 2 })]]);
    // Recent items keep their dedupe keys.
    expect(await storage.insertInbox(acc.id, inboxItems('new', 2), NOW + 1)).toEqual({ inserted: 0, duplicates: 2 });
    if (factory.dialect === 'postgres') {
      // Cutoff 16 May: Feb-Apr go whole; March's inbox stays for its pending row; May stays.
      expect(result.partitionsDropped.sort()).toEqual([
        'events_p202602',
        'events_p202603',
        'events_p202604',
        'inbox_p202602',
        'inbox_p202604',
      ]);
      expect(result.rowsDeleted).toBe(2); // the two finished rows of the kept March inbox partition
      // Partitions of the months this test touched (the real clock's months exist too, from migrate()).
      const left = await inSchema<{ name: string }>(
        db.url,
        `SELECT c.relname AS name FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
        WHERE i.inhparent IN ('inbox'::regclass, 'events'::regclass) ORDER BY 1`,
      );
      expect(left.map((r) => r.name).filter((n) => /_p20260[1-8]$/.test(n))).toEqual([
        'events_p202605',
        'events_p202606',
        'events_p202607',
        'events_p202608',
        'inbox_p202603',
        'inbox_p202605',
        'inbox_p202606',
        'inbox_p202607',
        'inbox_p202608',
      ]);
    } else {
      expect(result.rowsDeleted).toBe(3); // one event, two finished inbox rows
    }
  });

  it('lets several maintainers run at once, each partition created by one of them', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => storage.maintain({ now: NOW + 400 * DAY, retentionDays: 30 })),
    );
    const created = results.flatMap((r) => r.partitionsCreated);
    expect(new Set(created).size).toBe(created.length);
    if (factory.dialect === 'postgres') expect(created.length).toBeGreaterThan(0);
  });
});

// PostgreSQL only: SQLite has no partitions.
describe.each(factories.filter((f) => f.dialect === 'postgres'))('partitions on $dialect', (factory) => {
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

  it('moves rows the DEFAULT partition caught into their month once it is created', async () => {
    // July 2027: no partition yet (migrate() created the real clock's months; maintain() below ran for none).
    const later = Date.UTC(2027, 6, 10);
    await storage.applyProcessed(
      batch({
        visitors: [{ accountId: acc.id, id: 'v', firstSeenAt: later, lastSeenAt: later }],
        events: [event(acc.id, { id: 'e-later', visitorId: 'v', timestamp: later })],
      }),
    );
    const where = (): Promise<Array<{ part: string }>> =>
      inSchema(db.url, "SELECT tableoid::regclass::text AS part FROM events WHERE id = 'e-later'");
    expect(await where()).toEqual([{ part: 'events_default' }]);
    const result = await storage.maintain({ now: later, retentionDays: null });
    expect(result.partitionsCreated).toContain('events:2027-07');
    expect(await where()).toEqual([{ part: 'events_p202707' }]);
    expect((await storage.visitor(acc.id, 'v'))?.events.map((e) => e.id)).toEqual(['e-later']);
    // A replay of the moved event is still a duplicate under the partitioned key.
    await storage.applyProcessed(
      batch({ events: [event(acc.id, { id: 'e-later', visitorId: 'v', timestamp: later })] }),
    );
    expect((await storage.stats(acc.id, 0, later + 1)).events).toBe(1);
  });
});
