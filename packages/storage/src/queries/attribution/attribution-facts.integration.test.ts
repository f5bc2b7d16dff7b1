// attributionFacts on both dialects: the conversion window, the lookback, the session each conversion was recorded in, and the session cap (`truncated`).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, ConversionRow, Storage } from '../../storage.js';
import { batch, session } from '../../test-support/temp-storage.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

const conversion = (accountId: string, id: string, sessionId: string | null, timestamp: number): ConversionRow => ({
  accountId,
  id,
  name: 'purchase',
  visitorId: 'v1',
  sessionId,
  timestamp,
  revenue: 5,
  currency: 'EUR',
  properties: '{}',
});

describe.each(await storageFactories(process.env, import.meta.url))('attributionFacts on $dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  let acc: Account;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
    acc = await storage.ensureAccount('acme', 1);
    const other = await storage.ensureAccount('other', 1);
    await storage.applyProcessed(
      batch({
        sessions: [100, 200, 300, 400, 500]
          .map((t) =>
            session(acc.id, { id: `s${t}`, visitorId: 'v1', startedAt: t, lastSeenAt: t + 10, channel: 'email' }),
          )
          .concat([session(other.id, { id: 'x', visitorId: 'v1', startedAt: 450, lastSeenAt: 450 })]),
        conversions: [
          conversion(acc.id, 'c-early', 's100', 150),
          conversion(acc.id, 'c1', 's400', 450),
          conversion(acc.id, 'c2', null, 500),
          conversion(acc.id, 'c-late', 's500', 600),
        ],
      }),
    );
  });
  afterEach(async () => {
    await db.remove();
  });

  it('gives the conversions in [from, to) with their session, and every session since from - lookback', async () => {
    const facts = await storage.attributionFacts(acc.id, { from: 400, to: 600, lookbackMs: 150, maxSessions: 100 });
    expect(facts.conversions).toEqual([
      { id: 'c1', visitorId: 'v1', sessionId: 's400', timestamp: 450, revenue: 5 },
      { id: 'c2', visitorId: 'v1', sessionId: null, timestamp: 500, revenue: 5 },
    ]);
    expect(facts.sessions.map((s) => s.id).sort()).toEqual(['s300', 's400', 's500']);
    expect(facts.truncated).toBe(false);
  });

  it('keeps the newest sessions under the cap and says the answer is truncated; exactly at the cap it is not', async () => {
    const capped = await storage.attributionFacts(acc.id, { from: 0, to: 1000, lookbackMs: 0, maxSessions: 2 });
    expect(capped.sessions.map((s) => s.id).sort()).toEqual(['s400', 's500']);
    expect(capped.truncated).toBe(true);
    const atCap = await storage.attributionFacts(acc.id, { from: 0, to: 1000, lookbackMs: 0, maxSessions: 5 });
    expect(atCap.sessions).toHaveLength(5);
    expect(atCap.truncated).toBe(false);
  });

  it('gives one person: the visitor and every visitor linked through identify, transitively, with their sessions in the window', async () => {
    const identity = (userId: string, visitorId: string) => ({
      accountId: acc.id,
      userId,
      visitorId,
      timestamp: 1,
      traits: '{}',
      traitsAt: 1,
    });
    await storage.applyProcessed(
      batch({
        sessions: [
          session(acc.id, { id: 'p1', visitorId: 'phone', startedAt: 150, lastSeenAt: 150 }),
          session(acc.id, { id: 't1', visitorId: 'tablet', startedAt: 250, lastSeenAt: 250 }),
          session(acc.id, { id: 'x1', visitorId: 'stranger', startedAt: 260, lastSeenAt: 260 }),
          session(acc.id, { id: 'old', visitorId: 'phone', startedAt: 10, lastSeenAt: 10 }),
        ],
        identities: [
          identity('u1', 'v1'),
          identity('u1', 'phone'),
          identity('u2', 'phone'),
          identity('u2', 'tablet'),
          identity('u3', 'stranger'),
        ],
      }),
    );
    const person = await storage.personSessions(acc.id, 'v1', { from: 100, to: 400 });
    expect(person.visitors.sort()).toEqual(['phone', 'tablet', 'v1']);
    expect(person.sessions.map((s) => s.id).sort()).toEqual(['p1', 's100', 's200', 's300', 's400', 't1']);
    const alone = await storage.personSessions(acc.id, 'nobody', { from: 0, to: 1000 });
    expect(alone).toEqual({ visitors: ['nobody'], sessions: [] });
  });
});
