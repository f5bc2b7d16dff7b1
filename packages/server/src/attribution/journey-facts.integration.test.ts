// Differential test on both dialects: journeys read through the materialized touches (plus the live persons of marked visitors) equal journeys from every session, at every point of the refresher's progress.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJourneys } from '@touchline/attribution';
import { ATTRIBUTION_DIMENSIONS, type ProcessedBatch, type Storage } from '@touchline/storage';
import { storageFactories, type TestStorage } from '../../../storage/src/test-support/storage-factories.js';
import { batch, session } from '../../../storage/src/test-support/temp-storage.js';
import { generateTraffic, prng, windows } from '../test-support/attribution-traffic.js';
import { LOOKBACK_DAYS } from './attribute.js';

const DAY = 86_400_000;
/** fast-check's seed: printed on failure, settable to replay one (TOUCHLINE_FC_SEED). */
const SEED = process.env.TOUCHLINE_FC_SEED === undefined ? undefined : Number(process.env.TOUCHLINE_FC_SEED);

/** Journeys read with materialized sessions over all runs: the test must have read through the touches at all. */
let materializedPairs = 0;

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
      const window = { ...w, lookbackMs, maxSessions: 1_000_000, dimension };
      const grouped = dimension !== 'channel';
      const raw = buildJourneys({ ...(await storage.attributionFacts(accountId, window)), lookbackMs, grouped });
      const facts = await storage.journeyFacts(accountId, window);
      materializedPairs += facts.pairs.length;
      expect(
        buildJourneys({ ...facts, lookbackMs, grouped }).journeys,
        `${where} [${w.from}, ${w.to}) lookback ${lookbackDays} ${dimension}`,
      ).toEqual(raw.journeys);
    }
  }
}

/** Some refresh steps of a few visitors each, or none, or all: the refresher is anywhere behind ingest. */
async function refreshSome(storage: Storage, rand: () => number): Promise<void> {
  const mode = rand();
  if (mode < 0.25) return;
  const steps = mode < 0.6 ? 1 + Math.floor(rand() * 3) : Infinity;
  for (let i = 0; i < steps; i++) {
    const step = await storage.refreshJourneys({ limit: mode < 0.6 ? 1 + Math.floor(rand() * 4) : 50 });
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
      }),
      { numRuns: factory.dialect === 'sqlite' ? 25 : 15, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    expect(materializedPairs).toBeGreaterThan(0);
  }, 600_000);
});
