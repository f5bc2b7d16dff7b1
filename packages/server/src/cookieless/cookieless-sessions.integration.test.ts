// Property (DESIGN.md L12) for cookieless mode: any order and partition of cookieless items into batches, passes and two collectors stores the rows of one in-order pass, with sessions by inactivity, and materialized journeys equal to live ones.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJourneys } from '@touchline/attribution';
import { COOKIELESS_ID, type Item } from '@touchline/core';
import { openStorage, type InboxRow, type Storage } from '@touchline/storage';
import { storageFactories, type TestStorage } from '../../../storage/src/test-support/storage-factories.js';
import { rawRowsOf } from '../../../storage/src/test-support/raw-sql.js';
import { readModelRows, rebuildReadModel } from '../../../storage/src/test-support/rebuild-read-model.js';
import { applyPass } from '../pipeline/apply-pass.js';
import { encodeStoredItem } from '../pipeline/stored-item-codec.js';
import { DEFAULT_COOKIELESS } from './cookieless-settings.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const TIMEOUT = DEFAULT_COOKIELESS.sessionTimeoutMs;
/** Ten o'clock UTC today: every item falls in one UTC day, whose secret is alive now. */
const T0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 + 10 * 3_600_000;
const LEASE_MS = 1000;
const SEED = process.env.TOUCHLINE_FC_SEED === undefined ? undefined : Number(process.env.TOUCHLINE_FC_SEED);
/** Browsers as the collector sees them: (IP, user agent). The first two differ only in user agent. */
const BROWSERS = [
  { ip: '203.0.113.7', ua: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0' },
  { ip: '203.0.113.7', ua: 'Mozilla/5.0 (Macintosh) Safari/605.1.15' },
  { ip: '198.51.100.20', ua: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0' },
];

// Ticks of 10 minutes: three ticks or more between items (>= 30 min) is a new session, fewer is the same.
const specArb = fc.record({
  kind: fc.constantFrom('pageview', 'pageview', 'event', 'conversion', 'identify'),
  browser: fc.nat(BROWSERS.length - 1),
  tick: fc.nat(14),
  url: fc.constantFrom(
    'https://shop.example/',
    'https://shop.example/?utm_source=news&utm_medium=email',
    'https://shop.example/cart',
  ),
  referrer: fc.constantFrom(null, 'https://www.google.com/', 'https://shop.example/'),
  idHead: fc.integer({ min: 0, max: 0xffffffff }),
});
type Spec = typeof specArb extends fc.Arbitrary<infer T> ? T : never;

function itemOf(spec: Spec, index: number): Item {
  const browser = BROWSERS[spec.browser] as (typeof BROWSERS)[number];
  const base = {
    id: `${spec.idHead.toString(16).padStart(8, '0')}-0000-7000-8000-${index.toString(16).padStart(12, '0')}`,
    // A tick is 10 min: three ticks apart is exactly the timeout (a new session), two is the same session.
    timestamp: new Date(T0 + spec.tick * 10 * MINUTE).toISOString(),
    visitor_id: COOKIELESS_ID,
    session_id: COOKIELESS_ID,
    context: {
      url: spec.url,
      referrer: spec.referrer,
      user_agent: browser.ua,
      ip: browser.ip,
      utm: {},
      click_ids: {},
      session_start: null,
    },
  } as const;
  switch (spec.kind) {
    case 'pageview':
      return { type: 'pageview', ...base };
    case 'event':
      return { type: 'event', ...base, name: 'viewed', properties: { n: index } };
    case 'conversion':
      return { type: 'conversion', ...base, name: 'purchase', revenue: 10, currency: 'EUR', properties: {} };
    default:
      return { type: 'identify', ...base, session_id: null, user_id: `u${spec.browser}`, traits: {} };
  }
}

/** The truth: per browser, the sessions of its non-identify items split at gaps of TIMEOUT or more. */
function trueSessions(specs: readonly Spec[]): number {
  let sessions = 0;
  for (let b = 0; b < BROWSERS.length; b++) {
    const times = specs
      .filter((s) => s.browser === b && s.kind !== 'identify')
      .map((s) => s.tick * 10 * MINUTE)
      .sort((x, y) => x - y);
    times.forEach((t, i) => {
      if (i === 0 || t - (times[i - 1] as number) >= TIMEOUT) sessions += 1;
    });
  }
  return sessions;
}

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
    drainLimit: fc.integer({ min: 1, max: 4 }),
  });
const caseArb = fc
  .array(specArb, { minLength: 1, maxLength: 20 })
  .chain((specs) => fc.tuple(fc.constant(specs), planArb(specs.length)));

type Pass = (storage: Storage, rows: InboxRow[]) => Promise<unknown>;
const realPass: Pass = (storage, rows) => applyPass(storage, rows, undefined, Date.now());

const inboxItems = (items: readonly Item[]) =>
  items.map((item) => ({ itemId: item.id, type: item.type, payload: encodeStoredItem(item) }));

/**
 * The account's rows with ids an account's secret decides replaced by what they stand for: a visitor
 * by its browser, a session by its items. Two accounts hash the same browser to different ids (their
 * secrets differ), so that is what two runs can be compared on.
 */
async function dump(
  db: TestStorage,
  accountId: string,
  items: readonly Item[],
  specs: readonly Spec[],
): Promise<Record<string, unknown[]>> {
  const of = `account_key = (SELECT key FROM accounts WHERE id = '${accountId}')`;
  const [sessions, events, conversions, visitors, identities] = (await rawRowsOf<Record<string, unknown>>(db, [
    `SELECT id, visitor_id, started_at, last_seen_at, landing_url, referrer, channel, event_count, pageview_count FROM sessions WHERE ${of}`,
    `SELECT id, visitor_id, session_id FROM events WHERE ${of}`,
    `SELECT id, visitor_id, session_id FROM conversions WHERE ${of}`,
    `SELECT id, first_seen_at, last_seen_at FROM visitors WHERE ${of}`,
    `SELECT user_id, visitor_id, occurred_at FROM identities WHERE ${of}`,
  ])) as [
    Record<string, unknown>[],
    Record<string, unknown>[],
    Record<string, unknown>[],
    Record<string, unknown>[],
    Record<string, unknown>[],
  ];
  const browserOf = new Map(items.map((item, i) => [item.id, (specs[i] as Spec).browser]));
  const visitorName = new Map<string, string>();
  const sessionItems = new Map<string, string[]>();
  for (const row of [...events, ...conversions]) {
    visitorName.set(String(row.visitor_id), `browser ${browserOf.get(String(row.id))}`);
    const list = sessionItems.get(String(row.session_id)) ?? [];
    sessionItems.set(String(row.session_id), [...list, String(row.id)].sort());
  }
  for (const row of identities) visitorName.set(String(row.visitor_id), `browser ${String(row.user_id).slice(1)}`);
  const visitor = (id: unknown): string => visitorName.get(String(id)) ?? `unknown ${String(id)}`;
  const session = (id: unknown): string => (sessionItems.get(String(id)) ?? [`no items: ${String(id)}`]).join(',');
  const sorted = <T>(rows: T[]): T[] => rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    sessions: sorted(
      sessions.map((r) => ({
        ...r,
        id: session(r.id),
        visitor_id: visitor(r.visitor_id),
        started_at: Number(r.started_at),
        last_seen_at: Number(r.last_seen_at),
      })),
    ),
    events: sorted(events.map((r) => ({ ...r, visitor_id: visitor(r.visitor_id), session_id: session(r.session_id) }))),
    conversions: sorted(
      conversions.map((r) => ({ ...r, visitor_id: visitor(r.visitor_id), session_id: session(r.session_id) })),
    ),
    visitors: sorted(
      visitors.map((r) => ({
        id: visitor(r.id),
        first_seen_at: Number(r.first_seen_at),
        last_seen_at: Number(r.last_seen_at),
      })),
    ),
    identities: sorted(
      identities.map((r) => ({ ...r, visitor_id: visitor(r.visitor_id), occurred_at: Number(r.occurred_at) })),
    ),
  };
}

describe.each(await storageFactories(process.env, import.meta.url))(
  'cookieless sessions are an order-independent merge on $dialect',
  (factory) => {
    let db: TestStorage;
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

    async function drain(pass: Pass, limit: number): Promise<void> {
      for (let i = 0; ; i++) {
        const storage = collectors[i % 2] as Storage;
        const rows = await storage.claimInbox({ limit, leaseMs: LEASE_MS, now: clock });
        if (rows.length === 0) return;
        await pass(storage, rows);
      }
    }

    async function reference(items: readonly Item[], specs: readonly Spec[]) {
      const account = await db.storage.ensureAccount(`ref-${run}`, 1);
      await db.storage.insertInbox(account.id, inboxItems(items), clock);
      const rows = await db.storage.claimInbox({ limit: 1000, leaseMs: LEASE_MS, now: clock });
      await realPass(db.storage, rows);
      return dump(db, account.id, items, specs);
    }

    type Plan = typeof caseArb extends fc.Arbitrary<[unknown, infer P]> ? P : never;
    async function subject(items: readonly Item[], specs: readonly Spec[], plan: Plan, worker: Pass) {
      const account = await db.storage.ensureAccount(`sub-${run}`, 1);
      const shuffled = plan.order.map((i) => items[i] as Item);
      for (let at = 0, b = 0; at < shuffled.length; b++) {
        const batch = plan.batches[b] as (typeof plan.batches)[number];
        const part = shuffled.slice(at, at + batch.size);
        at += part.length;
        await (collectors[batch.collector] as Storage).insertInbox(account.id, inboxItems(part), clock);
        for (const pass of batch.passes) {
          clock += 1;
          const storage = collectors[pass.collector] as Storage;
          await worker(storage, await storage.claimInbox({ limit: pass.limit, leaseMs: LEASE_MS, now: clock }));
          // The refresher catches up between passes: a later pass that moves a converter's sessions must mark it again.
          while (!(await storage.refreshJourneys({ limit: 50 })).done);
        }
      }
      await drain(worker, plan.drainLimit);
      return { rows: await dump(db, account.id, items, specs), accountId: account.id };
    }

    /**
     * Cookieless conversions' journeys read through the materialized touches equal the live ones
     * (from every session), before the refresher ran and after it caught up: cookieless passes mark
     * the visitors whose sessions they merge, as cookie passes do.
     */
    let materializedTouches = 0;
    async function expectMaterializedJourneys(accountId: string): Promise<void> {
      const lookbackMs = 30 * DAY;
      const window = { from: T0 - DAY, to: T0 + DAY, lookbackMs, maxSessions: 100_000 };
      const live = buildJourneys({ ...(await db.storage.attributionFacts(accountId, window)), lookbackMs }).journeys;
      expect(
        buildJourneys({ ...(await db.storage.journeyFacts(accountId, window)), lookbackMs }).journeys,
        'before the refresher',
      ).toEqual(live);
      while (!(await db.storage.refreshJourneys({ limit: 50 })).done);
      const [touches] = await rawRowsOf<{ n: number | string }>(db, [
        `SELECT COUNT(*) AS n FROM journey_touches WHERE account_key = (SELECT key FROM accounts WHERE id = '${accountId}')`,
      ]);
      materializedTouches += Number(touches?.[0]?.n ?? 0);
      expect(
        buildJourneys({ ...(await db.storage.journeyFacts(accountId, window)), lookbackMs }).journeys,
        'after the refresher',
      ).toEqual(live);
    }

    const property = (worker: Pass) =>
      fc.asyncProperty(caseArb, async ([specs, plan]) => {
        run += 1;
        clock += 10 * LEASE_MS;
        const items = specs.map(itemOf);
        const expected = await reference(items, specs);
        // The reference itself is sessions by inactivity: as many sessions as the truth has.
        expect(expected.sessions).toHaveLength(trueSessions(specs));
        const actual = await subject(items, specs, plan, worker);
        expect(actual.rows).toEqual(expected);
        await expectMaterializedJourneys(actual.accountId);
      });

    it('stores the sessions by inactivity, visitors, events and conversions of one in-order pass', async () => {
      await fc.assert(property(realPass), { numRuns: factory.dialect === 'sqlite' ? 100 : 40, seed: SEED });
      // The journeys compared after the refresher were read through materialized touches, not only live.
      expect(materializedTouches).toBeGreaterThan(0);
    });

    it('two collectors working one inbox at the same time store the rows of one in-order pass', async () => {
      const random = fc.sample(fc.array(specArb, { minLength: 150, maxLength: 150 }), {
        numRuns: 1,
        seed: 7,
      })[0] as Spec[];
      run += 1;
      const items = random.map(itemOf);
      const expected = await reference(items, random);
      const account = await db.storage.ensureAccount(`concurrent-${run}`, 1);
      const shuffled = fc.sample(fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }), {
        numRuns: 1,
        seed: 8,
      })[0] as Item[];
      for (let i = 0; i < shuffled.length; i += 10)
        await db.storage.insertInbox(account.id, inboxItems(shuffled.slice(i, i + 10)), clock);
      // Both collectors claim small passes and apply them concurrently until the inbox is empty.
      const work = async (storage: Storage): Promise<void> => {
        for (;;) {
          const rows = await storage.claimInbox({ limit: 7, leaseMs: 60_000, now: clock });
          if (rows.length === 0) return;
          await realPass(storage, rows);
        }
      };
      await Promise.all(collectors.map(work));
      expect(await dump(db, account.id, items, random)).toEqual(expected);
    });

    // Runs after the property, over every account it stored: each merge moved the read model as a
    // worker pass would (the rollups, visitor hours and gaps equal a rebuild from the rows left).
    it('leaves the read model equal to its rebuild from the stored rows', async () => {
      const live = await readModelRows(db);
      expect(live[0]?.length).toBeGreaterThan(0);
      await rebuildReadModel(db);
      expect(await readModelRows(db)).toEqual(live);
    });

    it('negative control: without the merge across passes, a late item that joins two sessions is caught', async () => {
      const noMerge: Pass = (storage, rows) =>
        applyPass(
          {
            applyProcessed: (batch) => {
              const withoutMerge = { ...batch };
              delete withoutMerge.cookieless;
              return storage.applyProcessed(withoutMerge);
            },
            findTombstones: storage.findTombstones.bind(storage),
            cookielessSecrets: storage.cookielessSecrets.bind(storage),
          },
          rows,
          undefined,
          Date.now(),
        );
      const result = await fc.check(property(noMerge), { numRuns: 200, seed: 25, endOnFailure: true });
      expect(result.failed).toBe(true);
    });
  },
);
