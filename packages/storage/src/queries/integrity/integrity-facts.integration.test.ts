// integrityFacts on real SQLite: each window, the extreme/flapping/self-referral/empty counts, and account isolation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, Storage } from '../../storage.js';
import { batch, event, session } from '../../test-support/temp-storage.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = 100 * DAY;

describe.each(await storageFactories(process.env, import.meta.url))('$dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  let acc: Account;
  let other: Account;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
    acc = await storage.ensureAccount('acme', 1);
    other = await storage.ensureAccount('other', 1);
  });
  afterEach(async () => {
    await db.remove();
  });

  const ok = { eventCount: 2, pageviewCount: 1 };

  describe('integrityFacts', () => {
    it('is all zeros for an account without data, and for an unknown account', async () => {
      for (const id of [acc.id, 'no-such-account']) {
        const facts = await storage.integrityFacts(id, NOW);
        expect(facts.day).toEqual({ sessions: 0, visitors: 0, newVisitorSessions: 0, newVisitors: 0 });
        expect(facts.extremeVisitorsDay).toEqual({ count: 0, top: [] });
        expect(facts.heavyVisitorsMonth).toEqual({ count: 0, visitors: 0 });
        expect(facts.sharedLogins).toEqual({ users: 0, largest: 0, overShared: 0 });
        expect(facts.sessionRate).toEqual({
          lastHour: 0,
          baselineSessions: 0,
          baselineFrom: null,
          baselineTo: NOW - HOUR,
        });
        expect(facts.eventVolume).toEqual({ last24h: 0, previous24h: 0 });
      }
    });

    it('counts sessions by start time per window, with new visitors split out', async () => {
      await storage.applyProcessed(
        batch({
          visitors: [
            { accountId: acc.id, id: 'old', firstSeenAt: NOW - 30 * DAY, lastSeenAt: NOW - HOUR },
            { accountId: acc.id, id: 'week', firstSeenAt: NOW - 3 * DAY, lastSeenAt: NOW - HOUR },
            { accountId: acc.id, id: 'fresh', firstSeenAt: NOW - 2 * HOUR, lastSeenAt: NOW - HOUR },
          ],
          sessions: [
            session(acc.id, {
              id: 'o1',
              visitorId: 'old',
              startedAt: NOW - 10 * DAY,
              lastSeenAt: NOW - 10 * DAY,
              ...ok,
            }),
            session(acc.id, { id: 'o2', visitorId: 'old', startedAt: NOW - 5 * DAY, lastSeenAt: NOW - 5 * DAY, ...ok }),
            session(acc.id, {
              id: 'o3',
              visitorId: 'old',
              startedAt: NOW - 3 * HOUR,
              lastSeenAt: NOW - 2 * HOUR,
              ...ok,
            }),
            session(acc.id, {
              id: 'w1',
              visitorId: 'week',
              startedAt: NOW - 3 * DAY,
              lastSeenAt: NOW - 3 * DAY,
              ...ok,
            }),
            session(acc.id, {
              id: 'f1',
              visitorId: 'fresh',
              startedAt: NOW - 2 * HOUR,
              lastSeenAt: NOW - 2 * HOUR,
              ...ok,
            }),
            session(acc.id, { id: 'f2', visitorId: 'fresh', startedAt: NOW - HOUR + 1, lastSeenAt: NOW - 1, ...ok }),
            session(acc.id, { id: 'future', visitorId: 'fresh', startedAt: NOW, lastSeenAt: NOW, ...ok }),
            session(other.id, { id: 'x1', visitorId: 'old', startedAt: NOW - HOUR, lastSeenAt: NOW - HOUR, ...ok }),
          ],
        }),
      );
      const facts = await storage.integrityFacts(acc.id, NOW);
      expect(facts.day).toEqual({ sessions: 3, visitors: 2, newVisitorSessions: 2, newVisitors: 1 });
      expect(facts.week).toEqual({ sessions: 5, visitors: 3, newVisitorSessions: 3, newVisitors: 2 });
      expect(facts.sessionRate).toMatchObject({ lastHour: 1, baselineSessions: 4, baselineFrom: NOW - 5 * DAY });
    });

    it('finds extreme visitors, flapping pairs, empty sessions, self-referrals and converters', async () => {
      const many = Array.from({ length: 15 }, (_, i) =>
        session(acc.id, {
          id: `m${i}`,
          visitorId: 'leaky',
          startedAt: NOW - 20 * HOUR + i * 60_000,
          lastSeenAt: NOW - 20 * HOUR + i * 60_000,
          ...ok,
        }),
      );
      const eleven = Array.from({ length: 11 }, (_, i) =>
        session(acc.id, {
          id: `e${i}`,
          visitorId: 'eleven',
          startedAt: NOW - 10 * HOUR + i * 60_000,
          lastSeenAt: NOW - 10 * HOUR + i * 60_000,
          ...ok,
        }),
      );
      await storage.applyProcessed(
        batch({
          sessions: [
            ...many,
            ...eleven,
            // flapping: 3 sessions within 1 s of their predecessor (gap 0, 400, 999); 1000 ms is not flapping
            session(acc.id, {
              id: 'p1',
              visitorId: 'flap',
              startedAt: NOW - 5 * HOUR,
              lastSeenAt: NOW - 5 * HOUR,
              ...ok,
            }),
            session(acc.id, {
              id: 'p2',
              visitorId: 'flap',
              startedAt: NOW - 5 * HOUR,
              lastSeenAt: NOW - 5 * HOUR,
              ...ok,
            }),
            session(acc.id, {
              id: 'p3',
              visitorId: 'flap',
              startedAt: NOW - 5 * HOUR + 400,
              lastSeenAt: NOW - 5 * HOUR + 400,
              ...ok,
            }),
            session(acc.id, {
              id: 'p4',
              visitorId: 'flap',
              startedAt: NOW - 5 * HOUR + 1399,
              lastSeenAt: NOW - 5 * HOUR + 1399,
              ...ok,
            }),
            session(acc.id, {
              id: 'p5',
              visitorId: 'flap',
              startedAt: NOW - 5 * HOUR + 2399,
              lastSeenAt: NOW - 5 * HOUR + 2399,
              ...ok,
            }),
            // a different visitor at the same instant is not flapping
            session(acc.id, {
              id: 'q1',
              visitorId: 'other',
              startedAt: NOW - 5 * HOUR,
              lastSeenAt: NOW - 5 * HOUR,
              ...ok,
            }),
            session(acc.id, {
              id: 'ghost1',
              visitorId: 'g',
              startedAt: NOW - HOUR,
              lastSeenAt: NOW - HOUR,
              eventCount: 0,
              pageviewCount: 0,
            }),
            session(acc.id, {
              id: 'ghost2',
              visitorId: 'g',
              startedAt: NOW - 2 * HOUR,
              lastSeenAt: NOW - 2 * HOUR,
              eventCount: 3,
              pageviewCount: 0,
            }),
            session(acc.id, {
              id: 'self1',
              visitorId: 's',
              startedAt: NOW - 2 * DAY,
              lastSeenAt: NOW - 2 * DAY,
              landingHost: 'shop.example',
              referrer: 'https://shop.example/cart',
              ...ok,
            }),
            session(acc.id, {
              id: 'self2',
              visitorId: 's',
              startedAt: NOW - 3 * DAY,
              lastSeenAt: NOW - 3 * DAY,
              landingHost: 'shop.example',
              referrer: 'http://SHOP.example',
              ...ok,
            }),
            session(acc.id, {
              id: 'notself',
              visitorId: 's',
              startedAt: NOW - 3 * DAY,
              lastSeenAt: NOW - 3 * DAY,
              landingHost: 'shop.example',
              referrer: 'https://shop.example.evil.test/',
              ...ok,
            }),
            session(acc.id, {
              id: 'google',
              visitorId: 's',
              startedAt: NOW - 3 * DAY,
              lastSeenAt: NOW - 3 * DAY,
              landingHost: 'shop.example',
              referrer: 'https://www.google.com/',
              ...ok,
            }),
          ],
          conversions: [
            {
              accountId: acc.id,
              id: 'c1',
              name: 'buy',
              visitorId: 's',
              sessionId: null,
              timestamp: NOW - DAY,
              revenue: 1,
              currency: 'EUR',
              properties: '{}',
            },
            {
              accountId: acc.id,
              id: 'c2',
              name: 'buy',
              visitorId: 's',
              sessionId: null,
              timestamp: NOW - DAY,
              revenue: 1,
              currency: 'EUR',
              properties: '{}',
            },
            {
              accountId: acc.id,
              id: 'c3',
              name: 'buy',
              visitorId: 'eleven',
              sessionId: null,
              timestamp: NOW - 8 * DAY,
              revenue: 1,
              currency: 'EUR',
              properties: '{}',
            },
          ],
          events: [
            ...Array.from({ length: 4 }, (_, i) =>
              event(acc.id, { id: `now${i}`, visitorId: 's', timestamp: NOW - HOUR }),
            ),
            ...Array.from({ length: 2 }, (_, i) =>
              event(acc.id, { id: `prev${i}`, visitorId: 's', timestamp: NOW - 30 * HOUR }),
            ),
            event(acc.id, { id: 'old', visitorId: 's', timestamp: NOW - 50 * HOUR }),
          ],
        }),
      );
      const facts = await storage.integrityFacts(acc.id, NOW);
      expect(facts.extremeVisitorsDay).toEqual({
        count: 2,
        top: [
          { visitorId: 'leaky', sessions: 15 },
          { visitorId: 'eleven', sessions: 11 },
        ],
      });
      expect(facts.flappingDay).toEqual({ pairs: 3, visitors: 1 });
      expect(facts.emptySessionsDay).toBe(2);
      expect(facts.selfReferralsWeek).toBe(2);
      expect(facts.convertersWeek).toEqual({ converters: 1, sessions: 4 });
      expect(facts.eventVolume).toEqual({ last24h: 4, previous24h: 2 });
    });

    it('counts the visitors of each user id: how many user ids, the most on one, and those past the shared bound', async () => {
      const link = (accountId: string, userId: string, visitorId: string) => ({
        accountId,
        userId,
        visitorId,
        timestamp: NOW - 400 * DAY,
        traits: '{}',
        traitsAt: 1,
      });
      const identities = [
        // A shared login on 101 visitors (one past the bound), one on exactly 100, and a person on two devices.
        ...Array.from({ length: 101 }, (_, i) => link(acc.id, 'guest@example.com', `g${i}`)),
        ...Array.from({ length: 100 }, (_, i) => link(acc.id, 'demo', `d${i}`)),
        link(acc.id, 'ann', 'phone'),
        link(acc.id, 'ann', 'laptop'),
        // Another account's bigger shared login is not counted here.
        ...Array.from({ length: 150 }, (_, i) => link(other.id, 'guest@example.com', `o${i}`)),
      ];
      expect(await storage.applyProcessed(batch({ identities }))).toEqual({ kind: 'applied' });
      expect((await storage.integrityFacts(acc.id, NOW)).sharedLogins).toEqual({
        users: 3,
        largest: 101,
        overShared: 1,
      });
      expect((await storage.integrityFacts(other.id, NOW)).sharedLogins).toEqual({
        users: 1,
        largest: 150,
        overShared: 1,
      });
    });

    it('counts visitors with more than 50 sessions started in the last 30 days', async () => {
      const spread = (visitorId: string, count: number, from: number) =>
        Array.from({ length: count }, (_, i) =>
          session(acc.id, {
            id: `${visitorId}-${i}`,
            visitorId,
            startedAt: from + i * HOUR,
            lastSeenAt: from + i * HOUR,
            ...ok,
          }),
        );
      await storage.applyProcessed(
        batch({
          sessions: [
            ...spread('heavy', 51, NOW - 29 * DAY),
            ...spread('fifty', 50, NOW - 20 * DAY),
            ...spread('old', 60, NOW - 40 * DAY),
          ],
        }),
      );
      // 'old' has 60 sessions, but only those started in the window count (hours 0..59 from day -40: none reach day -30).
      expect((await storage.integrityFacts(acc.id, NOW)).heavyVisitorsMonth).toEqual({ count: 1, visitors: 2 });
    });

    it('lists at most 10 extreme visitors, worst first, but counts them all', async () => {
      const sessions = Array.from({ length: 12 }, (_, v) =>
        Array.from({ length: 11 + v }, (_, i) =>
          session(acc.id, {
            id: `v${v}-${i}`,
            visitorId: `v${String(v).padStart(2, '0')}`,
            startedAt: NOW - HOUR - i,
            lastSeenAt: NOW - HOUR - i,
            ...ok,
          }),
        ),
      ).flat();
      await storage.applyProcessed(batch({ sessions }));
      const { extremeVisitorsDay } = await storage.integrityFacts(acc.id, NOW);
      expect(extremeVisitorsDay.count).toBe(12);
      expect(extremeVisitorsDay.top).toHaveLength(10);
      expect(extremeVisitorsDay.top[0]).toEqual({ visitorId: 'v11', sessions: 22 });
    });
  });
});
