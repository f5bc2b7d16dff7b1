// The durable inbox: dedupe per (account, item id), all-or-nothing batches, leases that expire, and health.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, Storage } from '../../storage.js';
import { batch, inboxItems } from '../../test-support/temp-storage.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

describe.each(await storageFactories(process.env, import.meta.url))('$dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  let a: Account;
  let b: Account;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
    a = await storage.ensureAccount('a', 1);
    b = await storage.ensureAccount('b', 1);
  });
  afterEach(async () => {
    await db.remove();
  });

  describe('insertInbox', () => {
    it('stores an item once per (account, item id) across calls and counts the rest as duplicates', async () => {
      expect(await storage.insertInbox(a.id, inboxItems('x', 3), 100)).toEqual({ inserted: 3, duplicates: 0 });
      const overlapping = [...inboxItems('x', 5), ...inboxItems('x', 1)];
      expect(await storage.insertInbox(a.id, overlapping, 200)).toEqual({ inserted: 2, duplicates: 4 });
      const rows = await storage.claimInbox({ limit: 100, leaseMs: 1000, now: 300 });
      expect(rows.map((r) => r.itemId)).toEqual(['x-0', 'x-1', 'x-2', 'x-3', 'x-4']);
      // The first copy wins: its receivedAt is the first call's.
      expect(rows.map((r) => r.receivedAt)).toEqual([100, 100, 100, 200, 200]);
    });

    it('does not treat the same item id in another account as a duplicate', async () => {
      expect(await storage.insertInbox(a.id, inboxItems('same', 2), 100)).toEqual({ inserted: 2, duplicates: 0 });
      expect(await storage.insertInbox(b.id, inboxItems('same', 2), 100)).toEqual({ inserted: 2, duplicates: 0 });
      const rows = await storage.claimInbox({ limit: 100, leaseMs: 1000, now: 300 });
      expect(rows.map((r) => [r.accountId, r.itemId])).toEqual([
        [a.id, 'same-0'],
        [a.id, 'same-1'],
        [b.id, 'same-0'],
        [b.id, 'same-1'],
      ]);
    });

    it('keeps each row exactly as given', async () => {
      await storage.insertInbox(a.id, [{ itemId: 'i1', type: 'conversion', payload: '{"id":"i1","revenue":9.5}' }], 42);
      expect(await storage.claimInbox({ limit: 1, leaseMs: 10, now: 50 })).toEqual([
        {
          seq: expect.any(Number),
          accountId: a.id,
          itemId: 'i1',
          type: 'conversion',
          payload: '{"id":"i1","revenue":9.5}',
          receivedAt: 42,
          attempts: 1,
        },
      ]);
    });

    it('is all-or-nothing: a batch that fails stores none of its items', async () => {
      // Three good items, then one whose null payload breaks NOT NULL.
      const items = [...inboxItems('ok', 3), { itemId: 'bad', type: 'event', payload: null as unknown as string }];
      await expect(storage.insertInbox(a.id, items, 1)).rejects.toMatchObject({
        code: 'query_failed',
        message: expect.stringContaining('insertInbox'),
      });
      expect(await storage.inboxHealth()).toEqual({ pending: 0, dead: 0, oldestPendingAt: null });
    });

    it('refuses rows for an account that does not exist', async () => {
      await expect(storage.insertInbox('no-such-account', inboxItems('x', 1), 1)).rejects.toMatchObject({
        code: 'query_failed',
      });
    });

    it('takes 500 items in one call', async () => {
      expect(await storage.insertInbox(a.id, inboxItems('big', 500), 1)).toEqual({ inserted: 500, duplicates: 0 });
      expect((await storage.inboxHealth()).pending).toBe(500);
    });
  });

  describe('insertInboxGroups', () => {
    it('stores several requests in one call and reports each one, in order', async () => {
      const groups = [
        { accountId: a.id, items: inboxItems('g1', 1) },
        { accountId: b.id, items: inboxItems('g2', 2) },
        { accountId: a.id, items: inboxItems('g3', 60) },
      ];
      expect(await storage.insertInboxGroups(groups, 7)).toEqual([
        { inserted: 1, duplicates: 0 },
        { inserted: 2, duplicates: 0 },
        { inserted: 60, duplicates: 0 },
      ]);
      const rows = await storage.claimInbox({ limit: 100, leaseMs: 1000, now: 10 });
      expect(rows.map((r) => [r.accountId, r.itemId])).toEqual(
        groups.flatMap((g) => g.items.map((i) => [g.accountId, i.itemId])),
      );
    });

    it('counts duplicates per request: stored earlier, repeated across requests, and repeated within one', async () => {
      await storage.insertInbox(a.id, inboxItems('old', 1), 1);
      const groups = [
        { accountId: a.id, items: inboxItems('new', 1) },
        { accountId: a.id, items: [...inboxItems('old', 1), ...inboxItems('mine', 1)] },
        { accountId: b.id, items: inboxItems('new', 1) },
        { accountId: a.id, items: inboxItems('new', 1) },
        { accountId: b.id, items: [...inboxItems('twice', 1), ...inboxItems('twice', 1)] },
      ];
      expect(await storage.insertInboxGroups(groups, 2)).toEqual([
        { inserted: 1, duplicates: 0 },
        { inserted: 1, duplicates: 1 },
        { inserted: 1, duplicates: 0 },
        { inserted: 0, duplicates: 1 },
        { inserted: 1, duplicates: 1 },
      ]);
      const rows = await storage.claimInbox({ limit: 100, leaseMs: 1000, now: 10 });
      expect(rows.map((r) => [r.accountId, r.itemId, r.receivedAt])).toEqual([
        [a.id, 'old-0', 1],
        [a.id, 'new-0', 2],
        [a.id, 'mine-0', 2],
        [b.id, 'new-0', 2],
        [b.id, 'twice-0', 2],
      ]);
    });

    it('is all-or-nothing across requests: one failing request stores nothing of the others', async () => {
      const groups = [
        { accountId: a.id, items: inboxItems('ok', 2) },
        { accountId: 'no-such-account', items: inboxItems('x', 1) },
      ];
      await expect(storage.insertInboxGroups(groups, 1)).rejects.toMatchObject({ code: 'query_failed' });
      expect(await storage.inboxHealth()).toEqual({ pending: 0, dead: 0, oldestPendingAt: null });
    });
  });

  describe('claimInbox', () => {
    it('leases rows in seq order up to the limit; a second claim before expiry gets nothing', async () => {
      await storage.insertInbox(a.id, inboxItems('x', 5), 100);
      const first = await storage.claimInbox({ limit: 3, leaseMs: 1000, now: 1000 });
      expect(first.map((r) => [r.itemId, r.attempts])).toEqual([
        ['x-0', 1],
        ['x-1', 1],
        ['x-2', 1],
      ]);
      expect(first.map((r) => r.seq)).toEqual([...first.map((r) => r.seq)].sort((x, y) => x - y));
      const second = await storage.claimInbox({ limit: 10, leaseMs: 1000, now: 1500 });
      expect(second.map((r) => r.itemId)).toEqual(['x-3', 'x-4']);
      expect(await storage.claimInbox({ limit: 10, leaseMs: 1000, now: 1999 })).toEqual([]);
      // Leased until 2000: still taken at exactly 2000, free after.
      expect(await storage.claimInbox({ limit: 10, leaseMs: 1000, now: 2000 })).toEqual([]);
    });

    it('claims nothing for a zero or negative limit', async () => {
      await storage.insertInbox(a.id, inboxItems('x', 2), 100);
      expect(await storage.claimInbox({ limit: 0, leaseMs: 1000, now: 1000 })).toEqual([]);
      expect(await storage.claimInbox({ limit: -1, leaseMs: 1000, now: 1000 })).toEqual([]);
      expect(await storage.claimInbox({ limit: 10, leaseMs: 1000, now: 1000 })).toHaveLength(2);
    });

    it('gives the rows out again once the lease has expired, with attempts counted', async () => {
      await storage.insertInbox(a.id, inboxItems('x', 2), 100);
      await storage.claimInbox({ limit: 10, leaseMs: 1000, now: 1000 });
      const again = await storage.claimInbox({ limit: 10, leaseMs: 1000, now: 2001 });
      expect(again.map((r) => [r.itemId, r.attempts])).toEqual([
        ['x-0', 2],
        ['x-1', 2],
      ]);
    });

    it('never gives out finished rows, even with an expired lease', async () => {
      await storage.insertInbox(a.id, inboxItems('x', 3), 100);
      const rows = await storage.claimInbox({ limit: 10, leaseMs: 1000, now: 1000 });
      await storage.applyProcessed(batch({ done: [rows[0]!.seq], dead: [{ seq: rows[1]!.seq, error: 'poison' }] }));
      const later = await storage.claimInbox({ limit: 10, leaseMs: 1000, now: 10_000 });
      expect(later.map((r) => r.itemId)).toEqual(['x-2']);
    });
  });

  describe('inboxHealth', () => {
    it('counts pending and dead rows of every account and dates the oldest pending one', async () => {
      expect(await storage.inboxHealth()).toEqual({ pending: 0, dead: 0, oldestPendingAt: null });
      await storage.insertInbox(a.id, inboxItems('x', 2), 100);
      await storage.insertInbox(b.id, inboxItems('y', 2), 200);
      const rows = await storage.claimInbox({ limit: 10, leaseMs: 1000, now: 1000 });
      // Leased rows are still pending: a lease is not an outcome.
      expect(await storage.inboxHealth()).toEqual({ pending: 4, dead: 0, oldestPendingAt: 100 });
      await storage.applyProcessed(batch({ done: [rows[0]!.seq], dead: [{ seq: rows[1]!.seq, error: 'poison' }] }));
      expect(await storage.inboxHealth()).toEqual({ pending: 2, dead: 1, oldestPendingAt: 200 });
    });
  });
});
