// Property (DESIGN.md L10 + L12): aliases and the ghosts' items, in any order and any passes, store one visitor and one session.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveSessionId, type Item } from '@touchline/core';
import type { Storage } from '@touchline/storage';
import { storageFactories, type TestStorage } from '../../../storage/src/test-support/storage-factories.js';
import { rawRowsOf } from '../../../storage/src/test-support/raw-sql.js';
import { applyPass } from './apply-pass.js';
import { encodeStoredItem } from './stored-item-codec.js';

const T0 = Date.parse('2026-11-01T10:59:59.000Z'); // the race straddles an hour: rollup rows of two hours move
/** Three tabs of one browser raced: C was minted first (smallest id), G and H are ghosts. */
const C = '0190f7c2-0000-7000-8000-0000000000c1';
const G = '0190f7c2-0001-7000-8000-0000000000c2';
const H = '0190f7c2-0002-7000-8000-0000000000c3';
/** Another browser behind the same NAT, with the same user agent: it must stay apart. */
const N = '0190f7c2-0003-7000-8000-0000000000d1';
const first = (v: string): string => deriveSessionId(v, 1);
const SEED = 17_010;
const RUNS = Number(process.env.TOUCHLINE_ALIAS_RUNS ?? 25);

const ctx = (url: string, start: 'new_visitor' | null) => ({
  url,
  referrer: null,
  user_agent: 'Mozilla/5.0 (same UA)',
  ip: '203.0.113.0',
  utm: {},
  click_ids: {},
  session_start: start,
});
const id = (n: number): string => `0190f7c2-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const at = (ms: number): string => new Date(T0 + ms).toISOString();

/** What the app servers sent: each tab's landing and activity, then the aliases the SDK sent once both ids were in the jar. */
function items(): Item[] {
  const pv = (n: number, v: string, ms: number, path: string): Item => ({
    type: 'pageview',
    id: id(n),
    timestamp: at(ms),
    visitor_id: v,
    session_id: first(v),
    context: ctx(`https://shop.example${path}`, 'new_visitor'),
  });
  const alias = (n: number, ghost: string, canonical: string, ms: number): Item => ({
    type: 'alias',
    id: id(n),
    timestamp: at(ms),
    visitor_id: canonical,
    session_id: first(canonical),
    context: null,
    previous_id: ghost,
    previous_session_id: first(ghost),
  });
  return [
    pv(1, C, 0, '/a'),
    pv(2, G, 2, '/b'),
    pv(3, H, 5, '/c'),
    {
      type: 'event',
      id: id(4),
      timestamp: at(900),
      visitor_id: G,
      session_id: first(G),
      context: null,
      name: 'clicked',
      properties: { tab: 2 },
    },
    {
      type: 'conversion',
      id: id(5),
      timestamp: at(1500),
      visitor_id: H,
      session_id: first(H),
      context: null,
      name: 'purchase',
      revenue: 19.99,
      currency: 'EUR',
      properties: {},
    },
    {
      type: 'identify',
      id: id(6),
      timestamp: at(1600),
      visitor_id: G,
      session_id: first(G),
      context: null,
      user_id: 'u-1',
      traits: { plan: 'pro' },
    },
    {
      type: 'event',
      id: id(7),
      timestamp: at(4000),
      visitor_id: C,
      session_id: first(C),
      context: null,
      name: 'clicked',
      properties: { tab: 1 },
    },
    // H's mint arrived between G's and C's: a request saw {G, H} and aliased H to G, a later one saw all three.
    alias(8, H, G, 3000),
    alias(9, G, C, 5000),
    alias(10, H, C, 5000),
    pv(11, N, 1, '/a'),
  ];
}

/** The same traffic as if the browser had had one visitor all along: the in-order truth. */
function truth(): Item[] {
  const one = (v: string): string => (v === G || v === H ? C : v);
  return items()
    .filter((i) => i.type !== 'alias')
    .map((i) => ({
      ...i,
      visitor_id: one(i.visitor_id),
      session_id: i.session_id === null ? null : first(one(i.visitor_id)),
    }));
}

const inboxItems = (list: readonly Item[]) =>
  list.map((item) => ({ itemId: item.id, type: item.type, payload: encodeStoredItem(item) }));

async function dump(db: TestStorage, accountId: string): Promise<Record<string, unknown[]>> {
  const of = `account_key = (SELECT key FROM accounts WHERE id = '${accountId}')`;
  const tables: Record<string, string> = {
    sessions: `SELECT id, visitor_id, started_at, last_seen_at, landing_url, referrer, channel, landing_rank, landing_at, landing_item,
      event_count, pageview_count FROM sessions WHERE ${of} ORDER BY visitor_id, id`,
    visitors: `SELECT id, first_seen_at, last_seen_at FROM visitors WHERE ${of} ORDER BY id`,
    identities: `SELECT user_id, visitor_id, occurred_at, traits, traits_at FROM identities WHERE ${of} ORDER BY user_id, visitor_id`,
    events: `SELECT id, type, visitor_id, session_id, occurred_at FROM events WHERE ${of} ORDER BY id`,
    conversions: `SELECT id, visitor_id, session_id, occurred_at FROM conversions WHERE ${of} ORDER BY id`,
    // The read model (docs/read-model.md): every row, so a ghost's moved session must leave its old rows.
    rollup_dims: `SELECT dim, hour, value, sessions FROM rollup_dims WHERE ${of} ORDER BY dim, hour, value`,
    visitor_hours: `SELECT dim, value, visitor_id, hour, sessions FROM visitor_hours WHERE ${of} ORDER BY dim, value, visitor_id, hour`,
    visitor_gaps: `SELECT dim, hour, value, prev_hour, visitors FROM visitor_gaps WHERE ${of} ORDER BY dim, hour, value, prev_hour`,
    rollup_items: `SELECT hour, events, conversions, revenue_units, revenue_micros FROM rollup_items WHERE ${of} ORDER BY hour`,
    session_spans: `SELECT max_span FROM session_spans WHERE ${of}`,
  };
  const rows = await rawRowsOf(db, Object.values(tables));
  return Object.fromEntries(Object.keys(tables).map((table, i) => [table, rows[i] as unknown[]]));
}

describe.each(await storageFactories(process.env, import.meta.url))('visitor aliases on $dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  let run = 0;
  beforeAll(async () => {
    db = await factory.open();
    storage = db.storage;
  });
  afterAll(async () => {
    await db.remove();
  });

  /** Ingests `list` in batches of the given sizes, each processed by its own worker pass, in that order. */
  async function deliver(accountName: string, list: readonly Item[], sizes: readonly number[]): Promise<string> {
    const account = await storage.ensureAccount(accountName, 1);
    let from = 0;
    for (let b = 0; from < list.length; b++) {
      const part = list.slice(from, from + (sizes[b % sizes.length] ?? 1));
      from += part.length;
      await storage.insertInbox(account.id, inboxItems(part), T0);
      await applyPass(storage, await storage.claimInbox({ limit: 100, leaseMs: 60_000, now: T0 }));
    }
    return account.id;
  }

  it(`any order and batching of the ghosts' items and their aliases stores the one-visitor truth (${RUNS} seeded runs)`, async () => {
    const expected = await dump(db, await deliver('truth', truth(), [100]));
    expect(expected.visitors).toHaveLength(2); // the browser, and its NAT neighbour
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(items(), { minLength: items().length, maxLength: items().length }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 6 }),
        async (order, sizes) => {
          run += 1;
          const accountId = await deliver(`run-${run}`, order, sizes);
          expect(await dump(db, accountId)).toEqual(expected);
          const stats = await storage.stats(accountId, T0 - 3_600_000, T0 + 3_600_000);
          expect(stats).toMatchObject({ visitors: 2, sessions: 2, events: 6, conversions: 1, revenue: 19.99 });
          expect(await storage.visitor(accountId, G)).toBeNull();
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('an alias arriving twice (several racing requests sent it) or again much later changes nothing', async () => {
    const list = items();
    const accountId = await deliver('twice', [...list, ...list.filter((i) => i.type === 'alias')], [3]);
    const again = list.filter((i) => i.type === 'alias').map((i, n) => ({ ...i, id: id(100 + n) }));
    await storage.insertInbox(accountId, inboxItems(again), T0);
    await applyPass(storage, await storage.claimInbox({ limit: 100, leaseMs: 60_000, now: T0 }));
    expect(await dump(db, accountId)).toEqual(await dump(db, (await storage.ensureAccount('truth', 1)).id));
  });
});
