// Read queries: stats over [from, to), sessions of a visitor in start order, and the visitor page's bounded event list.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, Storage } from '../../storage.js';
import { batch, event, session } from '../../test-support/temp-storage.js';
import { VISITOR_EVENT_LIMIT } from './visitor.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

describe.each(await storageFactories(process.env, import.meta.url))('$dialect', (factory) => {
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

  describe('stats', () => {
    it('counts sessions whose activity meets [from, to), their distinct visitors, and items timed in the range', async () => {
      await storage.applyProcessed(
        batch({
          sessions: [
            session(acc.id, { id: 'before', visitorId: 'v1', startedAt: 100, lastSeenAt: 999 }),
            session(acc.id, { id: 'spans-from', visitorId: 'v1', startedAt: 900, lastSeenAt: 1000 }),
            session(acc.id, { id: 'inside', visitorId: 'v2', startedAt: 1200, lastSeenAt: 1300 }),
            session(acc.id, { id: 'at-to', visitorId: 'v3', startedAt: 2000, lastSeenAt: 2100 }),
          ],
          events: [999, 1000, 1999, 2000].map((t) => event(acc.id, { id: `e${t}`, visitorId: 'v1', timestamp: t })),
          conversions: [
            {
              accountId: acc.id,
              id: 'c1',
              name: 'buy',
              visitorId: 'v1',
              sessionId: null,
              timestamp: 1000,
              revenue: 12.5,
              currency: 'EUR',
              properties: '{}',
            },
            {
              accountId: acc.id,
              id: 'c2',
              name: 'lead',
              visitorId: 'v2',
              sessionId: null,
              timestamp: 1500,
              revenue: null,
              currency: null,
              properties: '{}',
            },
            {
              accountId: acc.id,
              id: 'c3',
              name: 'buy',
              visitorId: 'v2',
              sessionId: null,
              timestamp: 2000,
              revenue: 99,
              currency: 'EUR',
              properties: '{}',
            },
          ],
        }),
      );
      expect(await storage.stats(acc.id, 1000, 2000)).toEqual({
        visitors: 2,
        sessions: 2,
        events: 2,
        conversions: 2,
        revenue: 12.5,
      });
    });
  });

  describe('sessionsOfVisitor and visitor', () => {
    it("lists a visitor's sessions by start time and maps their JSON fields back", async () => {
      await storage.applyProcessed(
        batch({
          sessions: [
            session(acc.id, {
              id: 'later',
              visitorId: 'v1',
              startedAt: 5000,
              lastSeenAt: 5000,
              utm: { utm_medium: 'cpc' },
              clickIds: { gclid: 'x' },
            }),
            session(acc.id, { id: 'earlier', visitorId: 'v1', startedAt: 1000, lastSeenAt: 1000 }),
            session(acc.id, { id: 'other', visitorId: 'v2', startedAt: 3000, lastSeenAt: 3000 }),
          ],
        }),
      );
      const sessions = await storage.sessionsOfVisitor(acc.id, 'v1');
      expect(sessions.map((s) => s.id)).toEqual(['earlier', 'later']);
      expect(sessions[1]).toMatchObject({ utm: { utm_medium: 'cpc' }, clickIds: { gclid: 'x' } });
    });

    it('is null for an unknown visitor, and returns the latest events oldest first, bounded', async () => {
      expect(await storage.visitor(acc.id, 'v1')).toBeNull();
      const total = VISITOR_EVENT_LIMIT + 5;
      await storage.applyProcessed(
        batch({
          visitors: [{ accountId: acc.id, id: 'v1', firstSeenAt: 0, lastSeenAt: total }],
          events: Array.from({ length: total }, (_, i) =>
            event(acc.id, {
              id: `e${String(i).padStart(5, '0')}`,
              visitorId: 'v1',
              timestamp: total - i,
              properties: JSON.stringify({ i }),
            }),
          ),
          identities: [
            { accountId: acc.id, userId: 'u-second', visitorId: 'v1', timestamp: 20, traits: '{}', traitsAt: 20 },
            { accountId: acc.id, userId: 'u-first', visitorId: 'v1', timestamp: 10, traits: '{}', traitsAt: 10 },
          ],
        }),
      );
      const visitor = await storage.visitor(acc.id, 'v1');
      expect(visitor?.userIds).toEqual(['u-first', 'u-second']);
      expect(visitor?.events).toHaveLength(VISITOR_EVENT_LIMIT);
      expect(visitor?.events[0]).toMatchObject({ timestamp: 6, properties: { i: total - 6 } });
      expect(visitor?.events.at(-1)).toMatchObject({ timestamp: total, properties: { i: 0 } });
    });
  });
});
