// Goal and funnel definitions and the funnel item query on both dialects: replace, refusals, tenant isolation, path patterns, windows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Funnel, Goal } from '../../funnel-definitions.js';
import type { Account, ConversionRow, Storage } from '../../storage.js';
import { batch, event, session } from '../../test-support/temp-storage.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

const goal = (id: string, kind: Goal['kind'], match: string, at = 1): Goal => ({
  id,
  name: `goal ${id}`,
  kind,
  match,
  createdAt: at,
  updatedAt: at,
});
const funnel = (id: string, steps: string[], at = 1): Funnel => ({
  id,
  name: `funnel ${id}`,
  windowMs: 1000,
  steps,
  createdAt: at,
  updatedAt: at,
});

describe.each(await storageFactories(process.env, import.meta.url))('goals and funnels on $dialect', (factory) => {
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

  it('stores goals, replaces one by id keeping its creation time, and keeps accounts apart', async () => {
    expect(await storage.saveGoal(acc.id, goal('g1', 'pageview', '/checkout/*', 5))).toEqual(
      goal('g1', 'pageview', '/checkout/*', 5),
    );
    await storage.saveGoal(acc.id, goal('g2', 'event', 'signup', 6));
    expect(await storage.saveGoal(acc.id, { ...goal('g1', 'conversion', 'purchase', 9), name: 'renamed' })).toEqual({
      id: 'g1',
      name: 'renamed',
      kind: 'conversion',
      match: 'purchase',
      createdAt: 5,
      updatedAt: 9,
    });
    await storage.saveGoal(other.id, goal('g1', 'event', 'theirs', 7));
    expect((await storage.listGoals(acc.id)).map((g) => [g.id, g.match])).toEqual([
      ['g1', 'purchase'],
      ['g2', 'signup'],
    ]);
    expect((await storage.listGoals(other.id)).map((g) => g.match)).toEqual(['theirs']);
    expect(await storage.deleteGoal(other.id, 'g2')).toEqual({ kind: 'not_found' });
  });

  it('saves a funnel with ordered steps, refuses unknown goals whole, and will not delete a goal in use', async () => {
    await storage.saveGoal(acc.id, goal('a', 'pageview', '/'));
    await storage.saveGoal(acc.id, goal('b', 'event', 'x'));
    await storage.saveGoal(other.id, goal('theirs', 'event', 'x'));
    expect(await storage.saveFunnel(acc.id, funnel('f1', ['b', 'a', 'b'], 3))).toEqual({
      kind: 'saved',
      funnel: funnel('f1', ['b', 'a', 'b'], 3),
    });
    // Another account's goal is no goal of this account.
    expect(await storage.saveFunnel(acc.id, funnel('f2', ['a', 'theirs', 'nope']))).toEqual({
      kind: 'unknown_goals',
      goals: ['theirs', 'nope'],
    });
    expect((await storage.listFunnels(acc.id)).map((f) => f.id)).toEqual(['f1']);
    // Replacing keeps createdAt and rewrites the steps.
    expect(await storage.saveFunnel(acc.id, { ...funnel('f1', ['a', 'b'], 8), windowMs: 5000 })).toEqual({
      kind: 'saved',
      funnel: { ...funnel('f1', ['a', 'b'], 8), windowMs: 5000, createdAt: 3 },
    });
    expect(await storage.listFunnels(acc.id)).toEqual([
      { ...funnel('f1', ['a', 'b'], 8), windowMs: 5000, createdAt: 3 },
    ]);
    expect(await storage.deleteGoal(acc.id, 'a')).toEqual({ kind: 'in_use', funnels: ['f1'] });
    expect(await storage.listFunnels(other.id)).toEqual([]);
    expect(await storage.deleteFunnel(other.id, 'f1')).toEqual({ kind: 'not_found' });
    expect(await storage.deleteFunnel(acc.id, 'f1')).toEqual({ kind: 'deleted' });
    expect(await storage.deleteGoal(acc.id, 'a')).toEqual({ kind: 'deleted' });
    expect(await storage.deleteGoal(acc.id, 'a')).toEqual({ kind: 'not_found' });
  });

  it('matches pageview paths by pattern (case-sensitive, query ignored, LIKE and GLOB characters literal), events and conversions by name', async () => {
    const pv = (id: string, url: string, t: number) =>
      event(acc.id, { id, visitorId: 'v1', sessionId: 's1', timestamp: t, url });
    const conversion: ConversionRow = {
      accountId: acc.id,
      id: 'c1',
      name: 'purchase',
      visitorId: 'v2',
      sessionId: null,
      timestamp: 50,
      revenue: 1,
      currency: 'EUR',
      properties: '{}',
    };
    await storage.applyProcessed(
      batch({
        sessions: [session(acc.id, { id: 's1', visitorId: 'v1', channel: 'email' })],
        events: [
          pv('p1', 'https://shop.example/checkout/step?x=1', 10),
          pv('p2', 'https://shop.example/Checkout/step', 11),
          pv('p3', 'https://shop.example/100%_off', 12),
          pv('p4', 'https://shop.example/100xyoff', 13),
          pv('p5', 'https://shop.example/a[1]?b', 14),
          pv('p6', 'https://shop.example/', 15),
          event(acc.id, { id: 'e1', type: 'event', name: 'signup', visitorId: 'v1', sessionId: 's1', timestamp: 20 }),
          event(acc.id, { id: 'e2', type: 'event', name: 'signup', visitorId: 'v1', sessionId: 's1', timestamp: 100 }),
          event(other.id, { id: 'e3', type: 'event', name: 'signup', visitorId: 'v1', sessionId: 's1', timestamp: 21 }),
        ],
        conversions: [conversion],
      }),
    );
    const ids = async (goals: Array<{ kind: Goal['kind']; match: string }>, until = 100) =>
      (await storage.funnelItems(acc.id, { from: 0, until, goals, maxRows: 100 })).items.map(
        (i) => `${i.goal}:${i.id}`,
      );
    expect(await ids([{ kind: 'pageview', match: '/checkout/*' }])).toEqual(['0:p1']);
    expect(await ids([{ kind: 'pageview', match: '/100%_off' }])).toEqual(['0:p3']);
    expect(await ids([{ kind: 'pageview', match: '/a[1]' }])).toEqual(['0:p5']);
    expect(await ids([{ kind: 'pageview', match: '/' }])).toEqual(['0:p6']);
    expect(
      await ids([
        { kind: 'pageview', match: '*' },
        { kind: 'event', match: 'signup' },
        { kind: 'conversion', match: 'purchase' },
      ]),
    ).toEqual(['0:p1', '0:p2', '0:p3', '0:p4', '0:p5', '0:p6', '1:e1', '2:c1']);
    // The window is [from, until); the channel is the item's session's.
    expect(await ids([{ kind: 'event', match: 'signup' }], 101)).toEqual(['0:e1', '0:e2']);
    const items = await storage.funnelItems(acc.id, {
      from: 0,
      until: 100,
      goals: [
        { kind: 'event', match: 'signup' },
        { kind: 'conversion', match: 'purchase' },
      ],
      maxRows: 100,
    });
    expect(items.items).toEqual([
      { goal: 0, id: 'e1', visitorId: 'v1', sessionId: 's1', timestamp: 20, channel: 'email' },
      { goal: 1, id: 'c1', visitorId: 'v2', sessionId: null, timestamp: 50, channel: null },
    ]);
    const capped = await storage.funnelItems(acc.id, {
      from: 0,
      until: 100,
      goals: [{ kind: 'pageview', match: '*' }],
      maxRows: 2,
    });
    expect([capped.items.length, capped.truncated]).toEqual([2, true]);
  });
});
