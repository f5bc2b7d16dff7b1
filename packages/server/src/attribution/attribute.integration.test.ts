// Differential test on both dialects: attribution read from the converters' facts (and Markov's counted steps) equals attribution from every session of the window, for every model and group_by.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJourneys, MODEL_NAMES, MODELS } from '@touchline/attribution';
import { ATTRIBUTION_DIMENSIONS, type Storage } from '@touchline/storage';
import { storageFactories, type TestStorage } from '../../../storage/src/test-support/storage-factories.js';
import { generateTraffic, prng, windows } from '../test-support/attribution-traffic.js';
import { attribute, LOOKBACK_DAYS } from './attribute.js';

const DAY = 86_400_000;
/** fast-check's seed: printed on failure, settable to replay one (TOUCHLINE_FC_SEED). */
const SEED = process.env.TOUCHLINE_FC_SEED === undefined ? undefined : Number(process.env.TOUCHLINE_FC_SEED);

/** Steps markovFacts counted in the database over all runs: the test must have exercised them. */
let countedSteps = 0;

async function expectSameAttribution(storage: Storage, accountId: string, seed: number, end: number): Promise<void> {
  const rand = prng(seed ^ 0xb00c);
  for (const w of windows(seed, end)) {
    const lookbackDays = LOOKBACK_DAYS[Math.floor(rand() * LOOKBACK_DAYS.length)] ?? 30;
    const lookbackMs = lookbackDays * DAY;
    for (const dimension of ATTRIBUTION_DIMENSIONS) {
      const where = `[${w.from}, ${w.to}) lookback ${lookbackDays} group_by ${dimension}`;
      const window = { ...w, lookbackMs, maxSessions: 1_000_000, dimension };
      const grouped = dimension !== 'channel';
      const all = buildJourneys({ ...(await storage.attributionFacts(accountId, window)), lookbackMs, grouped });
      const narrowed = buildJourneys({ ...(await storage.converterFacts(accountId, window)), lookbackMs, grouped });
      expect(narrowed.journeys, `journeys ${where}`).toEqual(all.journeys);
      const markovFacts = await storage.markovFacts(accountId, window);
      countedSteps += markovFacts.steps.length;
      // The channel breakdown counts steps through the path-step read model; it must agree with the sessions.
      if (dimension === 'channel') expect(markovFacts.stepSource, `step source ${where}`).toBe('read-model');
      expect(buildJourneys({ ...markovFacts, lookbackMs, grouped }).journeys, `markov journeys ${where}`).toEqual(
        all.journeys,
      );
      // attribute() reads no campaigns (no model credits one; a utm breakdown still reads utm).
      const bare = buildJourneys({
        ...(await storage.attributionFacts(accountId, { ...window, campaigns: false })),
        lookbackMs,
        grouped,
      });
      for (const model of MODEL_NAMES) {
        // The oracle: the raw computation every model ran before (every session of the window).
        const oracle = MODELS[model](all.journeys, { nonConverting: all.nonConverting });
        const answer = await attribute(storage, { accountId, model, ...w, lookbackDays, groupBy: dimension });
        if (model !== 'markov') {
          expect(answer.result, `${model} ${where}`).toEqual(MODELS[model](bare.journeys, {}));
          expect(answer.result.channels, `${model} ${where}`).toEqual(oracle.channels);
          continue;
        }
        // Markov's read leaves out campaigns (no model reads them) and counts most non-converting
        // paths as steps in the database: what the API answers must match exactly all the same.
        expect(
          { channels: answer.result.channels, weights: answer.result.channelWeights },
          `${model} ${where}`,
        ).toEqual({ channels: oracle.channels, weights: oracle.channelWeights });
      }
    }
  }
}

describe.each(await storageFactories(process.env, import.meta.url))(
  "attribution from the converters' facts on $dialect",
  (factory) => {
    let db: TestStorage;
    let run = 0;
    beforeAll(async () => {
      db = await factory.open();
    });
    afterAll(async () => {
      await db.remove();
    });

    it('equals attribution from every session of the window, for every model, group_by and lookback, with late links and moved starts', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
          // Each run is its own account in the same database: runs never see each other's rows.
          const account = await db.storage.ensureAccount(`run-${run++}`, 1);
          const traffic = generateTraffic(seed, account.id);
          for (const [i, b] of traffic.batches.entries()) {
            expect(await db.storage.applyProcessed(b)).toEqual({ kind: 'applied' });
            // Retention deletes events only; run it between batches so late rows land after it.
            if (i === 0) await db.storage.maintain({ now: traffic.end, retentionDays: 30 });
          }
          await expectSameAttribution(db.storage, account.id, seed, traffic.end);
        }),
        { numRuns: factory.dialect === 'sqlite' ? 12 : 10, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
      expect(countedSteps).toBeGreaterThan(0);
    }, 600_000);
  },
);
