// Differential test on both dialects: journeys read through the materialized touches (plus the live persons of marked visitors) equal journeys from every session, at every point of the refresher's progress.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJourneys, MODELS } from '@touchline/attribution';
import {
  ATTRIBUTION_DIMENSIONS,
  MATERIALIZE_MAX_VISITORS,
  type JourneyRefreshOptions,
  type ProcessedBatch,
  type Storage,
} from '@touchline/storage';
import { storageFactories, type TestStorage } from '../../../storage/src/test-support/storage-factories.js';
import { personPathDaySums } from '../../../storage/src/test-support/person-path-sums.js';
import { batch, session } from '../../../storage/src/test-support/temp-storage.js';
import { generateTraffic, prng, windows } from '../test-support/attribution-traffic.js';
import { LOOKBACK_DAYS } from './attribute.js';

const DAY = 86_400_000;
/** fast-check's seed: printed on failure, settable to replay one (TOUCHLINE_FC_SEED). */
const SEED = process.env.TOUCHLINE_FC_SEED === undefined ? undefined : Number(process.env.TOUCHLINE_FC_SEED);

/** Journeys read with materialized sessions over all runs: the test must have read through the touches at all. */
let materializedPairs = 0;
/** Visitors of persons of several visitors that Markov counted from person-path rows (not read as sessions). */
let personPathVisitors = 0;

/** Markov from markovFacts (person paths where the refresher has built them) equals Markov over every session. */
async function expectSameMarkov(
  storage: Storage,
  accountId: string,
  window: { from: number; to: number; lookbackMs: number; maxSessions: number },
  where: string,
): Promise<void> {
  const lookbackMs = window.lookbackMs;
  const rawFacts = await storage.attributionFacts(accountId, { ...window, campaigns: false });
  const raw = buildJourneys({ ...rawFacts, lookbackMs });
  const oracle = MODELS.markov(raw.journeys, { nonConverting: raw.nonConverting });
  const facts = await storage.markovFacts(accountId, { ...window, campaigns: false });
  expect(facts.stepSource, `markov step source ${where}`).toBe('read-model');
  const built = buildJourneys({ ...facts, lookbackMs });
  const answer = MODELS.markov(built.journeys, {
    nonConverting: built.nonConverting,
    nonConvertingSteps: built.nonConvertingSteps,
  });
  expect({ channels: answer.channels, weights: answer.channelWeights }, `markov ${where}`).toEqual({
    channels: oracle.channels,
    weights: oracle.channelWeights,
  });
  // Visitors sharing a user id with another visitor, with sessions in the window, not read as sessions.
  const visitorsOf = new Map<string, Set<string>>();
  for (const l of rawFacts.links) visitorsOf.set(l.userId, (visitorsOf.get(l.userId) ?? new Set()).add(l.visitorId));
  const linked = new Set([...visitorsOf.values()].filter((v) => v.size > 1).flatMap((v) => [...v]));
  const read = new Set(facts.sessions.map((x) => x.visitorId));
  const windowed = new Set(rawFacts.sessions.map((x) => x.visitorId));
  for (const v of linked) if (windowed.has(v) && !read.has(v)) personPathVisitors += 1;
}

async function expectSameJourneys(
  storage: Storage,
  accountId: string,
  seed: number,
  end: number,
  where: string,
): Promise<void> {
  const rand = prng(seed ^ 0x70c4);
  for (const w of windows(seed, end)) {
    const lookbackDays = LOOKBACK_DAYS[Math.floor(rand() * LOOKBACK_DAYS.length)] ?? 30;
    const lookbackMs = lookbackDays * DAY;
    // Channel, a utm breakdown and the landing page: the touch rows join the sessions' current columns.
    for (const dimension of ATTRIBUTION_DIMENSIONS.filter((_, i) => i === 0 || rand() < 0.3)) {
      // Campaigns or not (attribute() reads none: no model credits a campaign; a utm breakdown still reads utm).
      const window = { ...w, lookbackMs, maxSessions: 1_000_000, dimension, campaigns: rand() < 0.5 };
      const grouped = dimension !== 'channel';
      const raw = buildJourneys({ ...(await storage.attributionFacts(accountId, window)), lookbackMs, grouped });
      const facts = await storage.journeyFacts(accountId, window);
      materializedPairs += facts.pairs.length;
      expect(
        buildJourneys({ ...facts, lookbackMs, grouped }).journeys,
        `${where} [${w.from}, ${w.to}) lookback ${lookbackDays} ${dimension}`,
      ).toEqual(raw.journeys);
      if (dimension === 'channel')
        await expectSameMarkov(storage, accountId, window, `${where} [${w.from}, ${w.to}) lookback ${lookbackDays}`);
    }
  }
}

/** A session of one channel, started and last seen at `at` (the Markov examples). */
function visitOf(accountId: string, visitorId: string, id: string, at: number, channel: string) {
  return session(accountId, { id, visitorId, startedAt: at, lastSeenAt: at, channel });
}

/** The Markov examples' batch: their sessions, two devices of one user ('ann'), and the buyer's order on its session x-1. */
function markovExample(
  accountId: string,
  linkedAt: number,
  orderAt: number,
  devices: string[],
  sessions: ProcessedBatch['sessions'],
): ProcessedBatch {
  return batch({
    sessions,
    identities: devices.map((visitorId) => ({
      accountId,
      userId: 'ann',
      visitorId,
      timestamp: linkedAt,
      traits: '{}',
      traitsAt: 1,
    })),
    conversions: [
      {
        accountId,
        id: 'order',
        name: 'purchase',
        visitorId: 'buyer',
        sessionId: 'x-1',
        timestamp: orderAt,
        revenue: 10,
        currency: 'EUR',
        properties: '{}',
      },
    ],
  });
}

/** Persons held live over all runs: the property must have read some through the held path. */
let heldPersons = 0;

/**
 * Bounds for a step: the defaults, or small ones (a few visitors, a few touch rows, a small step
 * budget), so that generated persons are held live, rebuilt under other bounds, and steps end early.
 */
function someBounds(rand: () => number): Omit<JourneyRefreshOptions, 'limit'> {
  if (rand() < 0.5) return {};
  return {
    maxPersonVisitors: 1 + Math.floor(rand() * 4),
    maxPersonTouches: Math.floor(rand() * 40),
    stepTouches: Math.floor(rand() * 30),
  };
}

/** Some refresh steps of a few visitors each, or none, or all: the refresher is anywhere behind ingest. */
async function refreshSome(storage: Storage, rand: () => number): Promise<void> {
  const mode = rand();
  if (mode < 0.25) return;
  const steps = mode < 0.6 ? 1 + Math.floor(rand() * 3) : Infinity;
  for (let i = 0; i < steps; i++) {
    const step = await storage.refreshJourneys({
      limit: mode < 0.6 ? 1 + Math.floor(rand() * 4) : 50,
      ...someBounds(rand),
    });
    heldPersons += step.held ?? 0;
    if (step.done) return;
  }
}

describe.each(await storageFactories(process.env, import.meta.url))('materialized journeys on $dialect', (factory) => {
  let db: TestStorage;
  let run = 0;
  beforeAll(async () => {
    db = await factory.open();
  });
  afterAll(async () => {
    await db.remove();
  });

  it("counts a person's merged path on the window's edge day, where its stored rows cannot decide", async () => {
    const account = await db.storage.ensureAccount(`journeys-${run++}`, 1);
    const base = Math.floor((Date.now() - 20 * DAY) / DAY) * DAY; // a UTC midnight
    const HOUR = 3_600_000;
    // Lookback 1 day from noon: the window starts at noon of base's day (an edge day).
    const window = { from: base + DAY + 12 * HOUR, to: base + 5 * DAY + 12 * HOUR, lookbackMs: DAY, maxSessions: 1000 };
    const visit = (visitorId: string, id: string, at: number, channel: string) =>
      visitOf(account.id, visitorId, id, at, channel);
    expect(
      await db.storage.applyProcessed(
        markovExample(
          account.id,
          base,
          base + 4 * DAY,
          ['a-phone', 'b-laptop'],
          [
            // The person: email on the edge day (inside the window), then paid search on an inner day
            // from its other device; its inner row's previous day is the edge day (undecided).
            visit('a-phone', 'a-1', base + 18 * HOUR, 'email'),
            visit('b-laptop', 'b-1', base + 3 * DAY, 'paid_search'),
            visit('y-solo', 'y-1', base + 2.5 * DAY, 'paid_search'),
            visit('z-solo', 'z-1', base + 3.5 * DAY, 'email'),
            visit('buyer', 'x-0', base + 2 * DAY, 'email'),
            visit('buyer', 'x-1', base + 3 * DAY + HOUR, 'paid_search'),
          ],
        ),
      ),
    ).toEqual({ kind: 'applied' });
    while (!(await db.storage.refreshJourneys({ limit: 50 })).done);
    const before = personPathVisitors;
    await expectSameMarkov(db.storage, account.id, window, 'edge day');
    expect(personPathVisitors, 'the person was counted from its rows').toBeGreaterThan(before);
  });

  it("counts Markov's paths right when an alias moves the links of the visitor a person's path rows are stored under", async () => {
    const account = await db.storage.ensureAccount(`journeys-${run++}`, 1);
    const t = Date.now() - 10 * DAY;
    const window = { from: t - DAY, to: t + DAY, lookbackMs: 30 * DAY, maxSessions: 1000 };
    const visit = (visitorId: string, id: string, at: number, channel: string) =>
      visitOf(account.id, visitorId, id, at, channel);
    // A person of two visitors ('a-ghost' is the least id: its rows are stored under it) that did
    // not convert, and a converter through the same channels, so that its path moves the chain.
    expect(
      await db.storage.applyProcessed(
        markovExample(
          account.id,
          t - 3 * DAY,
          t,
          ['a-ghost', 'b-other'],
          [
            visit('a-ghost', 'a-1', t - 3 * DAY, 'email'),
            visit('b-other', 'b-1', t - 2 * DAY, 'paid_search'),
            visit('a-ghost', 'a-2', t - 1.5 * DAY, 'referral'),
            // Visitors by themselves whose steps keep every count positive with stale rows added too
            // (a negative count would send the read back to the old one and hide them).
            visit('y-solo', 'y-1', t - 2 * DAY, 'paid_search'),
            visit('z-solo', 'z-1', t - 3 * DAY, 'email'),
            visit('z-solo', 'z-2', t - 1.5 * DAY, 'referral'),
            visit('buyer', 'x-0', t - 2.5 * DAY, 'email'),
            visit('buyer', 'x-1', t - DAY, 'paid_search'),
          ],
        ),
      ),
    ).toEqual({ kind: 'applied' });
    while (!(await db.storage.refreshJourneys({ limit: 50 })).done);
    await expectSameMarkov(db.storage, account.id, window, 'built');
    // The ghost's links and sessions move to 'c-canon': the rows under 'a-ghost' are stale until the
    // refresher takes the ghost's mark (it has no link left, so no walk reaches it).
    expect(
      await db.storage.applyProcessed(
        batch({
          aliases: [
            {
              accountId: account.id,
              ghostId: 'a-ghost',
              canonicalId: 'c-canon',
              ghostSessionId: null,
              canonicalSessionId: null,
            },
          ],
        }),
      ),
    ).toEqual({ kind: 'applied' });
    await expectSameMarkov(db.storage, account.id, window, 'alias, not refreshed');
    while (!(await db.storage.refreshJourneys({ limit: 50 })).done);
    await expectSameMarkov(db.storage, account.id, window, 'alias, refreshed');
  });

  it("takes in a device identified after its person's journey was built", async () => {
    const account = await db.storage.ensureAccount(`journeys-${run++}`, 1);
    const t = Date.now() - 10 * DAY;
    const window = { from: t - DAY, to: t + DAY, lookbackMs: 30 * DAY, maxSessions: 1000 };
    const channels = async (): Promise<string[]> =>
      buildJourneys({
        ...(await db.storage.journeyFacts(account.id, window)),
        lookbackMs: window.lookbackMs,
      }).journeys.flatMap((j) => j.touchpoints.map((p) => p.channel));
    const apply = async (parts: Partial<ProcessedBatch>): Promise<void> => {
      expect(await db.storage.applyProcessed(batch(parts))).toEqual({ kind: 'applied' });
      while (!(await db.storage.refreshJourneys({ limit: 50 })).done);
    };
    await apply({
      sessions: [
        session(account.id, {
          id: 'phone-1',
          visitorId: 'phone',
          startedAt: t - 2 * DAY,
          lastSeenAt: t - 2 * DAY,
          channel: 'email',
        }),
        session(account.id, {
          id: 'laptop-1',
          visitorId: 'laptop',
          startedAt: t - DAY,
          lastSeenAt: t,
          channel: 'paid_search',
        }),
      ],
      conversions: [
        {
          accountId: account.id,
          id: 'order',
          name: 'purchase',
          visitorId: 'laptop',
          sessionId: 'laptop-1',
          timestamp: t,
          revenue: 10,
          currency: 'EUR',
          properties: '{}',
        },
      ],
    });
    expect(await channels()).toEqual(['paid_search']);
    await apply({
      identities: ['phone', 'laptop'].map((visitorId) => ({
        accountId: account.id,
        userId: 'ann',
        visitorId,
        timestamp: t,
        traits: '{}',
        traitsAt: 1,
      })),
    });
    expect(await channels()).toEqual(['email', 'paid_search']);
  });

  it("takes in a ghost visitor's sessions when its alias arrives after the journey was built", async () => {
    const account = await db.storage.ensureAccount(`journeys-${run++}`, 1);
    const t = Date.now() - 10 * DAY;
    const window = { from: t - DAY, to: t + DAY, lookbackMs: 30 * DAY, maxSessions: 1000 };
    const channels = async (): Promise<string[]> =>
      buildJourneys({
        ...(await db.storage.journeyFacts(account.id, window)),
        lookbackMs: window.lookbackMs,
      }).journeys.flatMap((j) => j.touchpoints.map((p) => p.channel));
    const apply = async (parts: Partial<ProcessedBatch>): Promise<void> => {
      expect(await db.storage.applyProcessed(batch(parts))).toEqual({ kind: 'applied' });
      while (!(await db.storage.refreshJourneys({ limit: 50 })).done);
    };
    await apply({
      sessions: [
        session(account.id, {
          id: 'g-1',
          visitorId: 'ghost',
          startedAt: t - 2 * DAY,
          lastSeenAt: t - 2 * DAY,
          channel: 'email',
        }),
        session(account.id, {
          id: 'c-1',
          visitorId: 'canon',
          startedAt: t - DAY,
          lastSeenAt: t,
          channel: 'paid_search',
        }),
      ],
      conversions: [
        {
          accountId: account.id,
          id: 'order',
          name: 'purchase',
          visitorId: 'canon',
          sessionId: 'c-1',
          timestamp: t,
          revenue: 10,
          currency: 'EUR',
          properties: '{}',
        },
      ],
    });
    expect(await channels()).toEqual(['paid_search']);
    await apply({
      aliases: [
        {
          accountId: account.id,
          ghostId: 'ghost',
          canonicalId: 'canon',
          ghostSessionId: null,
          canonicalSessionId: null,
        },
      ],
    });
    expect(await channels()).toEqual(['email', 'paid_search']);
  });

  // A user id shared by more visitors than the bound (a test account, a sign-in bug) would make one
  // person whose touches are its conversions times its sessions (docs/wal-bound.md): held live.
  it('holds live a person of more visitors than the bound, before and after it changes', async () => {
    const account = await db.storage.ensureAccount(`journeys-${run++}`, 1);
    const t = Date.now() - 10 * DAY;
    const window = { from: t - DAY, to: t + DAY, lookbackMs: 30 * DAY, maxSessions: 1_000_000 };
    const n = MATERIALIZE_MAX_VISITORS + 50;
    const id = (i: number): string => `device-${String(i).padStart(5, '0')}`;
    const channels = ['email', 'paid_search', 'organic_search', 'direct'];
    const link = (visitorId: string): ProcessedBatch['identities'][number] => ({
      accountId: account.id,
      userId: 'shared-test-login',
      visitorId,
      timestamp: t,
      traits: '{}',
      traitsAt: 1,
    });
    const order = (i: number): ProcessedBatch['conversions'][number] => ({
      accountId: account.id,
      id: `order-${i}`,
      name: 'purchase',
      visitorId: id(i),
      sessionId: `${id(i)}-s`,
      timestamp: t + i,
      revenue: 10,
      currency: 'EUR',
      properties: '{}',
    });
    const refreshAll = async (): Promise<number> => {
      let held = 0;
      for (;;) {
        const step = await db.storage.refreshJourneys({ limit: 50 });
        held += step.held ?? 0;
        if (step.done) return held;
      }
    };
    const expectLive = async (where: string): Promise<void> => {
      const facts = await db.storage.journeyFacts(account.id, window);
      // Read live: no conversion of the person comes through touch pairs.
      expect(facts.pairs, where).toEqual([]);
      const raw = buildJourneys({
        ...(await db.storage.attributionFacts(account.id, window)),
        lookbackMs: window.lookbackMs,
      });
      expect(buildJourneys({ ...facts, lookbackMs: window.lookbackMs }).journeys, where).toEqual(raw.journeys);
      expect(raw.journeys.length, where).toBe(3);
      expect(raw.journeys[0]?.touchpoints.length, where).toBeGreaterThan(MATERIALIZE_MAX_VISITORS);
    };
    expect(
      await db.storage.applyProcessed(
        batch({
          sessions: Array.from({ length: n }, (_, i) =>
            session(account.id, {
              id: `${id(i)}-s`,
              visitorId: id(i),
              startedAt: t - (i + 1) * 60_000,
              lastSeenAt: t - i * 60_000,
              channel: channels[i % channels.length] ?? 'direct',
            }),
          ),
          identities: Array.from({ length: n }, (_, i) => link(id(i))),
          conversions: [order(0), order(1), order(2)],
        }),
      ),
    ).toEqual({ kind: 'applied' });
    expect(await refreshAll()).toBeGreaterThan(0);
    // Caught up: the held marks are skipped, nothing is left to do.
    expect(await db.storage.refreshJourneys({ limit: 50 })).toEqual({ visitors: 0, conversions: 0, done: true });
    await expectLive('held');
    // It changes: a later session of a held person's visitor, and one more device signing in.
    expect(
      await db.storage.applyProcessed(
        batch({
          sessions: [
            session(account.id, {
              id: `${id(7)}-later`,
              visitorId: id(7),
              startedAt: t - 30_000,
              lastSeenAt: t - 20_000,
              channel: 'referral',
            }),
            session(account.id, {
              id: 'new-device-s',
              visitorId: 'new-device',
              startedAt: t - 10_000,
              lastSeenAt: t - 5_000,
              channel: 'social',
            }),
          ],
          identities: [link('new-device')],
        }),
      ),
    ).toEqual({ kind: 'applied' });
    await refreshAll();
    expect(await db.storage.refreshJourneys({ limit: 50 })).toEqual({ visitors: 0, conversions: 0, done: true });
    await expectLive('after it changed');
  }, 120_000);

  it('holds live a person whose conversions times sessions pass the touch bound, and rebuilds it when the bound allows', async () => {
    const account = await db.storage.ensureAccount(`journeys-${run++}`, 1);
    const t = Date.now() - 10 * DAY;
    const window = { from: t - DAY, to: t + DAY, lookbackMs: 30 * DAY, maxSessions: 1000 };
    const sessions = (from: number, count: number): ProcessedBatch['sessions'] =>
      Array.from({ length: count }, (_, i) =>
        session(account.id, {
          id: `s-${from + i}`,
          visitorId: 'busy',
          startedAt: t - (from + i + 1) * 3_600_000,
          lastSeenAt: t - (from + i + 1) * 3_600_000 + 60_000,
          channel: i % 2 === 0 ? 'email' : 'direct',
        }),
      );
    const conversions = Array.from({ length: 5 }, (_, i) => ({
      accountId: account.id,
      id: `buy-${i}`,
      name: 'purchase',
      visitorId: 'busy',
      sessionId: null,
      timestamp: t + i,
      revenue: 10,
      currency: 'EUR',
      properties: '{}',
    }));
    const expectSame = async (where: string): Promise<void> => {
      const raw = buildJourneys({
        ...(await db.storage.attributionFacts(account.id, window)),
        lookbackMs: window.lookbackMs,
      });
      const facts = await db.storage.journeyFacts(account.id, window);
      expect(buildJourneys({ ...facts, lookbackMs: window.lookbackMs }).journeys, where).toEqual(raw.journeys);
      expect(raw.journeys.length, where).toBe(5);
    };
    expect(await db.storage.applyProcessed(batch({ sessions: sessions(0, 12), conversions }))).toEqual({
      kind: 'applied',
    });
    // 5 conversions x (12 sessions + its own) = 65 rows: past a bound of 64.
    expect(await db.storage.refreshJourneys({ limit: 50, maxPersonTouches: 64 })).toEqual({
      visitors: 1,
      conversions: 0,
      done: true,
      held: 1,
    });
    expect(await db.storage.refreshJourneys({ limit: 50 })).toEqual({ visitors: 0, conversions: 0, done: true });
    await expectSame('held');
    // A new session clears the hold; under a bound it fits, the person is materialized again.
    expect(await db.storage.applyProcessed(batch({ sessions: sessions(12, 1) }))).toEqual({ kind: 'applied' });
    expect(await db.storage.refreshJourneys({ limit: 50, maxPersonTouches: 70 })).toEqual({
      visitors: 1,
      conversions: 5,
      done: true,
    });
    await expectSame('rebuilt');
  });

  it('ends a step once its work reaches the step budget, and the next step goes on', async () => {
    const account = await db.storage.ensureAccount(`journeys-${run++}`, 1);
    const t = Date.now() - 10 * DAY;
    const people = ['p1', 'p2', 'p3'];
    expect(
      await db.storage.applyProcessed(
        batch({
          sessions: people.flatMap((visitorId) =>
            Array.from({ length: 10 }, (_, i) =>
              session(account.id, {
                id: `${visitorId}-${i}`,
                visitorId,
                startedAt: t - (i + 1) * 3_600_000,
                lastSeenAt: t - (i + 1) * 3_600_000 + 60_000,
                channel: 'email',
              }),
            ),
          ),
          conversions: people.map((visitorId) => ({
            accountId: account.id,
            id: `${visitorId}-buy`,
            name: 'purchase',
            visitorId,
            sessionId: null,
            timestamp: t,
            revenue: 10,
            currency: 'EUR',
            properties: '{}',
          })),
        }),
      ),
    ).toEqual({ kind: 'applied' });
    // Each person: 1 conversion x (10 sessions + its own) = 11 rows; a budget of 15 ends after two.
    expect(await db.storage.refreshJourneys({ limit: 50, stepTouches: 15 })).toEqual({
      visitors: 2,
      conversions: 2,
      done: false,
    });
    expect(await db.storage.refreshJourneys({ limit: 50, stepTouches: 15 })).toEqual({
      visitors: 1,
      conversions: 1,
      done: true,
    });
  });

  // On PostgreSQL the batches and the refresh loops run on separate pool connections at once (READ
  // COMMITTED refresher steps beside committing writers, docs/read-model.md); on SQLite they take turns.
  // A smoke test, like the rollups' concurrent one: it shows holds, releases and rebuilds beside
  // concurrent writers neither deadlock for good nor drift. It is not a proof of the version checks:
  // the window they guard (a write committed between a rebuild's INSERT and its unmark) is too narrow
  // to hit by timing (dropping PG_UNMARK's version check passed it, checked).
  it('equal journeys after batches and refresher steps ran at once, a shared user id among them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const account = await db.storage.ensureAccount(`journeys-${run++}`, 1);
        const traffic = generateTraffic(seed, account.id);
        const rand = prng(seed ^ 0x51c7);
        // A user id that a random half of the visitors also sign in as, in its own batch.
        const visitors = [...new Set(traffic.batches.flatMap((b) => b.sessions.map((x) => x.visitorId)))];
        traffic.batches.push(
          batch({
            identities: visitors
              .filter(() => rand() < 0.5)
              .map((visitorId) => ({
                accountId: account.id,
                userId: 'shared-login',
                visitorId,
                timestamp: traffic.end - DAY,
                traits: '{}',
                traitsAt: 1,
              })),
          }),
        );
        let stop = false;
        const refreshLoop = async (): Promise<void> => {
          while (!stop) {
            const step = await db.storage.refreshJourneys({ limit: 1 + Math.floor(rand() * 4), ...someBounds(rand) });
            heldPersons += step.held ?? 0;
            if (step.done) await new Promise((resolve) => setTimeout(resolve, 1));
          }
        };
        // One row per batch, shuffled: many small commits for the refresher's steps to interleave with.
        const rows = traffic.batches.flatMap((b) => [
          ...b.sessions.map((x) => batch({ sessions: [x] })),
          ...b.conversions.map((x) => batch({ conversions: [x] })),
          ...b.identities.map((x) => batch({ identities: [x] })),
        ]);
        for (let i = rows.length - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          [rows[i], rows[j]] = [rows[j] as ProcessedBatch, rows[i] as ProcessedBatch];
        }
        const loops = [refreshLoop(), refreshLoop()];
        const outcomes = await Promise.all(rows.map((b) => db.storage.applyProcessed(b)));
        stop = true;
        await Promise.all(loops);
        expect(outcomes.every((o) => o.kind === 'applied')).toBe(true);
        await expectSameJourneys(db.storage, account.id, seed, traffic.end, 'after the concurrent writes');
        await refreshSome(db.storage, rand);
        await expectSameJourneys(db.storage, account.id, seed, traffic.end, 'after more steps');
        while (!(await db.storage.refreshJourneys({ limit: 50 })).done);
        await expectSameJourneys(db.storage, account.id, seed, traffic.end, 'caught up');
        const sums = await personPathDaySums(db);
        expect(sums.stored, 'person_path_day_* are the sums of the person rows').toEqual(sums.summed);
      }),
      { numRuns: 10, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  }, 600_000);

  it('equal journeys from every session after every batch, whatever the refresher has caught up with', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const account = await db.storage.ensureAccount(`journeys-${run++}`, 1);
        const traffic = generateTraffic(seed, account.id);
        const rand = prng(seed ^ 0x3e1f);
        // Some session copies, then half of the identify links, arrive in batches after everything
        // else: moved starts and links that reach persons the refresher has already built (the links
        // alone in the last batch, so nothing but their own marks can bring those persons back).
        const lateSessions = batch();
        const lateLinks = batch();
        for (const b of traffic.batches) {
          b.identities = b.identities.filter((row) => rand() < 0.5 || (lateLinks.identities.push(row), false));
          b.sessions = b.sessions.filter((row) => rand() < 0.9 || (lateSessions.sessions.push(row), false));
        }
        traffic.batches.push(lateSessions, lateLinks);
        for (const [i, b] of traffic.batches.entries()) {
          expect(await db.storage.applyProcessed(b)).toEqual({ kind: 'applied' });
          await refreshSome(db.storage, rand);
          await expectSameJourneys(db.storage, account.id, seed, traffic.end, `after batch ${i}`);
        }
        // Caught up: every journey is read from the touches, and a second refresh finds nothing to do.
        while (!(await db.storage.refreshJourneys({ limit: 50 })).done);
        expect(await db.storage.refreshJourneys({ limit: 50 })).toEqual({ visitors: 0, conversions: 0, done: true });
        await expectSameJourneys(db.storage, account.id, seed, traffic.end, 'caught up');
        const sums = await personPathDaySums(db);
        expect(sums.stored, 'person_path_day_* are the sums of the person rows').toEqual(sums.summed);
      }),
      { numRuns: factory.dialect === 'sqlite' ? 25 : 15, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    expect(materializedPairs).toBeGreaterThan(0);
    expect(heldPersons).toBeGreaterThan(0);
    expect(personPathVisitors).toBeGreaterThan(0);
  }, 600_000);
});
