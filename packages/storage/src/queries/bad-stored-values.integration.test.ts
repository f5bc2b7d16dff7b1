// Rows changed behind the pipeline's back (malformed JSON in utm, click ids and properties) never fail the reads that return them (issue 16 item 7).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, Storage } from '../storage.js';
import { ATTRIBUTION_DIMENSIONS } from './attribution/attribution-dimension.js';
import { rawExec } from '../test-support/raw-sql.js';
import { batch, event, session } from '../test-support/temp-storage.js';
import { storageFactories, type TestStorage } from '../test-support/storage-factories.js';

describe.each(await storageFactories(process.env, import.meta.url))('bad stored values on $dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  let acc: Account;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
    acc = await storage.ensureAccount('acme', 1);
    await storage.applyProcessed(
      batch({
        visitors: [{ accountId: acc.id, id: 'v1', firstSeenAt: 100, lastSeenAt: 300 }],
        sessions: [
          session(acc.id, {
            id: 'good',
            visitorId: 'v1',
            startedAt: 100,
            lastSeenAt: 110,
            channel: 'email',
            utm: { utm_campaign: 'winter' },
          }),
          session(acc.id, {
            id: 'bad',
            visitorId: 'v1',
            startedAt: 200,
            lastSeenAt: 210,
            channel: 'email',
            utm: { utm_campaign: 'spring' },
          }),
        ],
        events: [
          event(acc.id, { id: 'e-good', visitorId: 'v1', sessionId: 'good', timestamp: 105 }),
          event(acc.id, { id: 'e-bad', visitorId: 'v1', sessionId: 'bad', timestamp: 205 }),
        ],
        conversions: [
          {
            accountId: acc.id,
            id: 'c1',
            name: 'buy',
            visitorId: 'v1',
            sessionId: 'bad',
            timestamp: 250,
            revenue: 5,
            currency: 'EUR',
            properties: '{}',
          },
        ],
      }),
    );
    // What a hand edit, a truncated restore or an old bug could leave behind.
    await rawExec(db, `UPDATE sessions SET utm = '{"utm_campaign": "spr', click_ids = 'not json' WHERE id = 'bad'`);
    await rawExec(db, `UPDATE events SET properties = '[1, 2' WHERE id = 'e-bad'`);
  });
  afterEach(async () => {
    await db.remove();
  });

  it('attributionFacts reads every session, the malformed one without a campaign', async () => {
    const facts = await storage.attributionFacts(acc.id, { from: 0, to: 1000, lookbackMs: 1000, maxSessions: 100 });
    expect(facts.sessions.map((s) => [s.id, s.campaign]).sort()).toEqual([
      ['bad', null],
      ['good', 'winter'],
    ]);
    expect(facts.conversions.map((c) => c.id)).toEqual(['c1']);
  });

  it("converterFacts reads the converter's sessions under every breakdown, the malformed one without a value", async () => {
    for (const dimension of ATTRIBUTION_DIMENSIONS) {
      const facts = await storage.converterFacts(acc.id, {
        from: 0,
        to: 1000,
        lookbackMs: 1000,
        maxSessions: 100,
        dimension,
      });
      expect(facts.sessions.map((s) => [s.id, s.campaign]).sort(), dimension).toEqual([
        ['bad', null],
        ['good', 'winter'],
      ]);
      expect(facts.sessions.find((s) => s.id === 'bad')?.group ?? null, dimension).toBeNull();
    }
  });

  it("markovFacts counts a non-converter's malformed session as steps under every breakdown, without a value", async () => {
    await storage.applyProcessed(
      batch({
        visitors: [{ accountId: acc.id, id: 'v2', firstSeenAt: 150, lastSeenAt: 160 }],
        sessions: [
          session(acc.id, {
            id: 'other',
            visitorId: 'v2',
            startedAt: 150,
            lastSeenAt: 160,
            channel: 'social',
            utm: { utm_source: 'x' },
            clickIds: { gclid: 'g' },
          }),
        ],
      }),
    );
    await rawExec(db, `UPDATE sessions SET utm = '[', click_ids = '{"gclid' WHERE id = 'other'`);
    for (const dimension of ATTRIBUTION_DIMENSIONS) {
      const facts = await storage.markovFacts(acc.id, {
        from: 0,
        to: 1000,
        lookbackMs: 1000,
        maxSessions: 100,
        dimension,
      });
      expect(facts.sessions.map((s) => s.id).sort(), dimension).toEqual(['bad', 'good']);
      const touch = {
        channel: 'social',
        group: dimension === 'landing_page' ? (facts.steps[0]?.to?.group ?? null) : null,
      };
      expect(facts.steps, dimension).toEqual([
        { from: null, to: touch, count: 1 },
        { from: touch, to: null, count: 1 },
      ]);
    }
  });

  it('personSessions (one journey) reads the malformed one without a campaign', async () => {
    const person = await storage.personSessions(acc.id, 'v1', { from: 0, to: 1000 });
    expect(person.sessions.map((s) => [s.id, s.campaign]).sort()).toEqual([
      ['bad', null],
      ['good', 'winter'],
    ]);
  });

  it('top utm values read the malformed one as no value, and a later write to its session still succeeds', async () => {
    // [0, 1000) lies inside one hour: read from the sessions themselves, through the same expression the rollups store.
    expect(await storage.topUtmValues(acc.id, { from: 0, to: 1000, limit: 10, field: 'campaign' })).toEqual([
      { value: 'winter', sessions: 1, visitors: 1 },
    ]);
    expect(await storage.topUtmValues(acc.id, { from: 0, to: 1000, limit: 10, field: 'source' })).toEqual([]);
    // The rollups read the session's shape (utm included) before and after every write to it.
    expect(
      await storage.applyProcessed(
        batch({
          visitors: [{ accountId: acc.id, id: 'v1', firstSeenAt: 100, lastSeenAt: 400 }],
          sessions: [
            session(acc.id, { id: 'bad', visitorId: 'v1', startedAt: 200, lastSeenAt: 400, channel: 'email' }),
          ],
        }),
      ),
    ).toEqual({ kind: 'applied' });
    await expect(
      storage.topUtmValues(acc.id, { from: 0, to: 1000, limit: 10, field: 'nope' as 'source' }),
    ).rejects.toThrow(/field must be one of source, medium, campaign/);
  });

  it('visitor returns every session and event, malformed JSON read as {}', async () => {
    const visitor = await storage.visitor(acc.id, 'v1');
    expect(visitor?.sessions.map((s) => [s.id, s.utm, s.clickIds])).toEqual(
      expect.arrayContaining([
        ['bad', {}, {}],
        ['good', { utm_campaign: 'winter' }, {}],
      ]),
    );
    expect(visitor?.events.map((e) => [e.id, e.properties])).toEqual([
      ['e-good', {}],
      ['e-bad', {}],
    ]);
  });
});
