// Tenant isolation: two accounts with identical visitor, session, event and user ids never see or merge each other's rows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, ApiKeyRecord, ProcessedBatch, Storage } from '../storage.js';
import { batch, event, session } from '../test-support/temp-storage.js';
import { storageFactories, type TestStorage } from '../test-support/storage-factories.js';

describe.each(await storageFactories(process.env, import.meta.url))('$dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  let a: Account;
  let b: Account;

  /** The same ids in every account; only the numbers differ, so a leak shows up as a wrong number. */
  function activity(accountId: string, scale: number): ProcessedBatch {
    return batch({
      visitors: [{ accountId, id: 'v1', firstSeenAt: 1000 * scale, lastSeenAt: 2000 * scale }],
      sessions: [
        session(accountId, {
          id: 's1',
          visitorId: 'v1',
          startedAt: 1000 * scale,
          lastSeenAt: 2000 * scale,
          eventCount: scale,
          pageviewCount: scale,
          landingUrl: `https://${accountId}.example/`,
          channel: `channel-${scale}`,
        }),
      ],
      events: Array.from({ length: scale }, (_, i) =>
        event(accountId, { id: `e${i}`, visitorId: 'v1', sessionId: 's1', timestamp: 1000 * scale + i }),
      ),
      conversions: [
        {
          accountId,
          id: 'c1',
          name: 'buy',
          visitorId: 'v1',
          sessionId: 's1',
          timestamp: 1500 * scale,
          revenue: 10 * scale,
          currency: 'EUR',
          properties: '{}',
        },
      ],
      identities: [
        {
          accountId,
          userId: `user-${scale}`,
          visitorId: 'v1',
          timestamp: 1000 * scale,
          traits: '{}',
          traitsAt: 1000 * scale,
        },
      ],
    });
  }

  function key(id: string, accountId: string): ApiKeyRecord {
    return {
      id,
      accountId,
      prefix: 'tl_live_',
      hash: `hash-${id}`,
      mode: 'live',
      scopes: ['ingest', 'read'],
      createdAt: 1,
      revokedAt: null,
    };
  }

  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
    a = await storage.ensureAccount('a', 1);
    b = await storage.ensureAccount('b', 1);
    await storage.applyProcessed(activity(a.id, 1));
    await storage.applyProcessed(activity(b.id, 2));
    await storage.insertKey(key('ka', a.id));
    await storage.insertKey(key('kb', b.id));
  });
  afterEach(async () => {
    await db.remove();
  });

  describe('tenant isolation', () => {
    it('stats counts only the asked account', async () => {
      expect(await storage.stats(a.id, 0, 100_000)).toEqual({
        visitors: 1,
        sessions: 1,
        events: 1,
        conversions: 1,
        revenue: 10,
      });
      expect(await storage.stats(b.id, 0, 100_000)).toEqual({
        visitors: 1,
        sessions: 1,
        events: 2,
        conversions: 1,
        revenue: 20,
      });
      expect(await storage.stats('unknown', 0, 100_000)).toEqual({
        visitors: 0,
        sessions: 0,
        events: 0,
        conversions: 0,
        revenue: 0,
      });
    });

    it("sessionsOfVisitor returns, and upserts merged into, only the account's own session", async () => {
      expect(await storage.sessionsOfVisitor(a.id, 'v1')).toEqual([
        expect.objectContaining({
          id: 's1',
          startedAt: 1000,
          lastSeenAt: 2000,
          eventCount: 1,
          channel: 'channel-1',
          landingUrl: `https://${a.id}.example/`,
        }),
      ]);
      expect(await storage.sessionsOfVisitor(b.id, 'v1')).toEqual([
        expect.objectContaining({ id: 's1', startedAt: 2000, eventCount: 2, channel: 'channel-2' }),
      ]);
      expect(await storage.sessionsOfVisitor('unknown', 'v1')).toEqual([]);
    });

    it("visitor returns only the account's own visitor, sessions, events and user ids", async () => {
      const va = await storage.visitor(a.id, 'v1');
      expect(va).toMatchObject({ firstSeenAt: 1000, lastSeenAt: 2000, userIds: ['user-1'] });
      expect(va?.events.map((e) => e.timestamp)).toEqual([1000]);
      expect(va?.sessions.map((s) => s.eventCount)).toEqual([1]);
      const vb = await storage.visitor(b.id, 'v1');
      expect(vb).toMatchObject({ firstSeenAt: 2000, lastSeenAt: 4000, userIds: ['user-2'] });
      expect(vb?.events.map((e) => e.timestamp)).toEqual([2000, 2001]);
      expect(await storage.visitor('unknown', 'v1')).toBeNull();
    });

    it('listKeys of one account lists only its keys; null lists all', async () => {
      expect((await storage.listKeys(a.id)).map((k) => k.id)).toEqual(['ka']);
      expect((await storage.listKeys(b.id)).map((k) => k.id)).toEqual(['kb']);
      expect((await storage.listKeys(null)).map((k) => k.id).sort()).toEqual(['ka', 'kb']);
    });

    it('findAccount finds each account by its own name only', async () => {
      expect(await storage.findAccount('a')).toEqual(a);
      expect(await storage.findAccount('b')).toEqual(b);
      expect(a.id).not.toBe(b.id);
    });
  });
});
