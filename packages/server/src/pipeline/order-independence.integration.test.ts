// Property (DESIGN.md L12): any order and partition of items into ingest batches, worker passes and two collectors stores the rows of one in-order pass.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '@touchline/core';
import { openStorage, type InboxRow, type Storage } from '@touchline/storage';
import { storageFactories, type TestStorage } from '../../../storage/src/test-support/storage-factories.js';
import { rawRowsOf } from '../../../storage/src/test-support/raw-sql.js';
import { applyPass } from './apply-pass.js';
import { processInboxRows } from './process-inbox-rows.js';
import { encodeStoredItem } from './stored-item-codec.js';

const T0 = Date.parse('2026-11-01T10:00:00.000Z');
const VISITORS = [
  '0190f7c2-0000-7000-8000-0000000000a1',
  '0190f7c2-0000-7000-8000-0000000000a2',
  '0190f7c2-0000-7000-8000-0000000000a3',
];
const SESSIONS = ['0190f7c2-0000-7000-8000-0000000000b1', '0190f7c2-0000-7000-8000-0000000000b2'];
const LEASE_MS = 1000;
/** fast-check's seed: printed by fast-check on failure, settable to replay one (TOUCHLINE_FC_SEED). */
const SEED = process.env.TOUCHLINE_FC_SEED === undefined ? undefined : Number(process.env.TOUCHLINE_FC_SEED);

// Few distinct values, so sessions get several competing landing candidates, equal times and
// every channel signal: session starts, pageviews vs events, campaigns, click ids, self-referrals.
const contextArb = fc.record({
  url: fc.constantFrom(
    'https://shop.example/',
    'https://shop.example/cart',
    'https://shop.example/?utm_source=news&utm_medium=email',
    'https://shop.example/p?gclid=abc',
    null,
  ),
  referrer: fc.constantFrom(
    null,
    'https://www.google.com/',
    'https://shop.example/shoes',
    'https://news.example/',
    'https://chatgpt.com/',
  ),
  user_agent: fc.constant('Mozilla/5.0'),
  ip: fc.constant('203.0.113.0'),
  utm: fc.constantFrom<Record<string, string>>(
    {},
    { utm_source: 'news', utm_medium: 'email' },
    { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'shoes' },
  ),
  click_ids: fc.constantFrom<Record<string, string>>({}, { gclid: 'abc' }, { fbclid: 'f1' }),
  session_start: fc.constantFrom(null, null, 'new_visitor', 'expired', 'campaign'),
});
const specArb = fc.record({
  kind: fc.constantFrom('pageview', 'pageview', 'event', 'conversion', 'identify', 'session_end'),
  visitor: fc.nat(VISITORS.length - 1),
  session: fc.option(fc.nat(SESSIONS.length - 1), { nil: null, freq: 8 }),
  tick: fc.nat(6),
  context: fc.option(contextArb, { nil: null, freq: 3 }),
  user: fc.constantFrom('u1', 'u2'),
  traits: fc.constantFrom({}, { plan: 'pro' }, { plan: 'free' }),
  revenue: fc.constantFrom(null, 10, 0.1, 19.99),
  idHead: fc.integer({ min: 0, max: 0xffffffff }),
});
type Spec = typeof specArb extends fc.Arbitrary<infer T> ? T : never;

/** A valid wire item; the id's first group is random (its order decides landing ties), its tail makes it unique. */
function itemOf(spec: Spec, index: number): Item {
  const base = {
    id: `${spec.idHead.toString(16).padStart(8, '0')}-0000-7000-8000-${index.toString(16).padStart(12, '0')}`,
    timestamp: new Date(T0 + spec.tick * 1000).toISOString(),
    visitor_id: VISITORS[spec.visitor] as string,
    session_id: spec.session === null ? null : (SESSIONS[spec.session] as string),
    context: spec.context,
  } as const;
  switch (spec.kind) {
    case 'pageview':
      return { type: 'pageview', ...base };
    case 'event':
      return { type: 'event', ...base, name: 'viewed', properties: { n: index } };
    case 'conversion':
      return {
        type: 'conversion',
        ...base,
        name: 'purchase',
        revenue: spec.revenue,
        currency: spec.revenue === null ? null : 'EUR',
        properties: {},
      };
    case 'identify':
      return { type: 'identify', ...base, user_id: spec.user, traits: spec.traits };
    default:
      return { type: 'session_end', ...base, next_session_id: SESSIONS[1] as string };
  }
}

/** How the subject run delivers and processes the items: an order, batch sizes, and who does what. */
const planArb = (n: number) =>
  fc.record({
    order: fc.shuffledSubarray(
      Array.from({ length: n }, (_, i) => i),
      { minLength: n, maxLength: n },
    ),
    batches: fc.array(
      fc.record({
        size: fc.integer({ min: 1, max: 4 }),
        collector: fc.nat(1),
        passes: fc.array(fc.record({ collector: fc.nat(1), limit: fc.integer({ min: 1, max: 5 }) }), { maxLength: 2 }),
      }),
      { minLength: n, maxLength: n },
    ),
    // A slow worker's pass is applied while its rows are still its own, or after its lease ran out
    // and the final drain's first `slowAfter` passes finished all, some or none of its rows again:
    // it must write nothing twice.
    slow: fc.option(fc.record({ atBatch: fc.nat(2), collector: fc.nat(1), limit: fc.integer({ min: 2, max: 8 }) }), {
      nil: null,
    }),
    slowExpires: fc.boolean(),
    slowAfter: fc.nat(4),
    /** Rows per pass of the final drain: small ones finish only part of a slow worker's rows. */
    drainLimit: fc.integer({ min: 1, max: 4 }),
  });
const caseArb = fc
  .array(specArb, { minLength: 1, maxLength: 24 })
  .chain((specs) => fc.tuple(fc.constant(specs), planArb(specs.length)));

/** What a worker does with the rows it claimed: the real pass, or a deliberately broken one (negative controls). */
type Pass = (storage: Storage, rows: InboxRow[]) => Promise<unknown>;
const realPass: Pass = (storage, rows) => applyPass(storage, rows);

function inboxItems(items: readonly Item[]) {
  return items.map((item) => ({ itemId: item.id, type: item.type, payload: encodeStoredItem(item) }));
}

/**
 * Every stored row of the account that processing writes, in key order, without the account key.
 * `orderKey`: with the sessions' landing order columns too (what a user sees is the rest).
 */
async function dump(db: TestStorage, accountId: string, orderKey: boolean): Promise<Record<string, unknown[]>> {
  const of = `account_key = (SELECT key FROM accounts WHERE id = '${accountId}')`;
  const tables: Record<string, string> = {
    sessions: `SELECT id, visitor_id, started_at, last_seen_at, landing_url, landing_host, referrer, channel, utm, click_ids,
      ${orderKey ? 'landing_rank, landing_at, landing_item,' : ''} event_count, pageview_count FROM sessions WHERE ${of} ORDER BY visitor_id, id`,
    visitors: `SELECT id, first_seen_at, last_seen_at FROM visitors WHERE ${of} ORDER BY id`,
    identities: `SELECT user_id, visitor_id, occurred_at, traits, traits_at FROM identities WHERE ${of} ORDER BY user_id, visitor_id`,
    events: `SELECT id, type, name, visitor_id, session_id, occurred_at, url, properties FROM events WHERE ${of} ORDER BY id`,
    conversions: `SELECT id, name, visitor_id, session_id, occurred_at, revenue, currency, properties FROM conversions WHERE ${of} ORDER BY id`,
  };
  const rows = await rawRowsOf(db, Object.values(tables));
  return Object.fromEntries(Object.keys(tables).map((table, i) => [table, rows[i] as unknown[]]));
}

describe.each(await storageFactories(process.env, import.meta.url))(
  'processing is an order-independent merge on $dialect',
  (factory) => {
    let db: TestStorage;
    /** Two collectors on one database: each with its own connection (SQLite) or pool (PostgreSQL). */
    let collectors: [Storage, Storage];
    let run = 0;
    let clock = Date.now();
    beforeAll(async () => {
      db = await factory.open();
      collectors = [db.storage, openStorage(db.url)];
    });
    afterAll(async () => {
      await collectors[1].close();
      await db.remove();
    });

    /** Claims and applies until nothing is claimable, alternating collectors; `before(i)` runs ahead of pass i. */
    async function drain(pass: Pass, limit: number, before: (pass: number) => Promise<void>): Promise<void> {
      for (let i = 0; ; i++) {
        await before(i);
        const storage = collectors[i % 2] as Storage;
        const rows = await storage.claimInbox({ limit, leaseMs: LEASE_MS, now: clock });
        if (rows.length === 0) return;
        await pass(storage, rows);
      }
    }

    /** One in-order pass: the whole sequence as the app sent it, one batch, one worker pass. */
    async function reference(items: readonly Item[], orderKey: boolean): Promise<Record<string, unknown[]>> {
      const account = await db.storage.ensureAccount(`ref-${run}`, 1);
      await db.storage.insertInbox(account.id, inboxItems(items), clock);
      const rows = await db.storage.claimInbox({ limit: 1000, leaseMs: LEASE_MS, now: clock });
      expect(rows).toHaveLength(items.length);
      await applyPass(db.storage, rows);
      return dump(db, account.id, orderKey);
    }

    type Plan = typeof caseArb extends fc.Arbitrary<[unknown, infer P]> ? P : never;
    async function subject(
      items: readonly Item[],
      plan: Plan,
      worker: Pass,
      orderKey: boolean,
    ): Promise<Record<string, unknown[]>> {
      const account = await db.storage.ensureAccount(`sub-${run}`, 1);
      const shuffled = plan.order.map((i) => items[i] as Item);
      let slow: { storage: Storage; rows: InboxRow[] } | null = null;
      for (let at = 0, b = 0; at < shuffled.length; b++) {
        const batch = plan.batches[b] as (typeof plan.batches)[number];
        const part = shuffled.slice(at, at + batch.size);
        at += part.length;
        await (collectors[batch.collector] as Storage).insertInbox(account.id, inboxItems(part), clock);
        if (plan.slow !== null && plan.slow.atBatch === b) {
          const storage = collectors[plan.slow.collector] as Storage;
          slow = { storage, rows: await storage.claimInbox({ limit: plan.slow.limit, leaseMs: LEASE_MS, now: clock }) };
        }
        for (const pass of batch.passes) {
          clock += 1;
          const storage = collectors[pass.collector] as Storage;
          await worker(storage, await storage.claimInbox({ limit: pass.limit, leaseMs: LEASE_MS, now: clock }));
        }
      }
      const late = slow;
      if (late !== null && !plan.slowExpires) await worker(late.storage, late.rows);
      clock += LEASE_MS + 1; // the slow worker's lease runs out: its rows go out again
      let lateDone = late === null || !plan.slowExpires;
      const applyLate = async (): Promise<void> => {
        if (lateDone || late === null) return;
        lateDone = true;
        await worker(late.storage, late.rows);
      };
      await drain(worker, plan.drainLimit, async (pass) => {
        if (pass === plan.slowAfter) await applyLate();
      });
      await applyLate();
      await drain(worker, plan.drainLimit, async () => {});
      return dump(db, account.id, orderKey);
    }

    /** The property, for a given transform of the subject's passes. */
    const property = (worker: Pass, orderKey: boolean) =>
      fc.asyncProperty(caseArb, async ([specs, plan]) => {
        run += 1;
        clock += 10 * LEASE_MS;
        const items = specs.map(itemOf);
        const expected = await reference(items, orderKey);
        const actual = await subject(items, plan, worker, orderKey);
        expect(actual).toEqual(expected);
      });

    it('stores the same sessions, visitors, identities, events and conversions as one in-order pass', async () => {
      await fc.assert(property(realPass, true), { numRuns: factory.dialect === 'sqlite' ? 120 : 50, seed: SEED });
    });

    // Negative controls: the property must catch each half of the pre-fix behaviour (issue 25). Fixed
    // seeds, so a control never passes or fails by luck; no shrinking (only "caught" matters).
    it('negative control: the first landing processed wins (no landing order) is caught', async () => {
      // Without the landing's rank the merge can only keep the first landing it stored.
      const firstWins: Pass = (storage, rows) =>
        applyPass(storage, rows, (r) => {
          const out = processInboxRows(r);
          return {
            ...out,
            sessions: out.sessions.map((x) => ({
              ...x,
              landing: x.landing && { ...x.landing, rank: null as unknown as number },
            })),
          };
        });
      const result = await fc.check(property(firstWins, false), { numRuns: 300, seed: 25, endOnFailure: true });
      expect(result.failed).toBe(true);
    });

    it('negative control: a stale worker writing its whole pass when only some rows were still pending is caught', async () => {
      // Writes every result of the pass while finishing only the rows still pending: counts go twice.
      const writesAll = (storage: Storage): Pick<Storage, 'applyProcessed'> => ({
        async applyProcessed(batch) {
          const outcome = await storage.applyProcessed(batch);
          if (outcome.kind !== 'partial') return outcome;
          const pending = new Set(outcome.pending);
          return storage.applyProcessed({
            ...batch,
            done: batch.done.filter((seq) => pending.has(seq)),
            dead: batch.dead.filter((d) => pending.has(d.seq)),
          });
        },
      });
      const result = await fc.check(
        property((storage, rows) => applyPass(writesAll(storage), rows), false),
        { numRuns: 300, seed: 25, endOnFailure: true },
      );
      expect(result.failed).toBe(true);
    });
  },
);
