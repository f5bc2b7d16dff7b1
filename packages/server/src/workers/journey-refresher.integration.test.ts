// The collector keeps the materialized journeys by itself: on SQLite on the inbox worker thread's connection, on PostgreSQL inline.
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { getJson, postBatch, startCollector, type Fixture } from '../test-support/collector-fixture.js';
import { waitUntil } from '../test-support/wait-until.js';
import { queryTestSchema, storageFactories } from '../../../storage/src/test-support/storage-factories.js';

let fx: Fixture | null = null;
afterEach(async () => {
  await fx?.close();
  fx = null;
});

const DAY = 86_400_000;
const landing = (visitorId: string, at: number, url: string) => ({
  type: 'pageview',
  id: newId(at),
  timestamp: new Date(at).toISOString(),
  visitor_id: visitorId,
  session_id: randomUUID(),
  context: {
    url,
    referrer: null,
    user_agent: 'UA',
    ip: null,
    session_start: 'new_visitor',
    utm: Object.fromEntries([...new URL(url).searchParams]),
    click_ids: {},
  },
});
const identify = (visitorId: string, userId: string, at: number) => ({
  type: 'identify',
  id: newId(at),
  timestamp: new Date(at).toISOString(),
  visitor_id: visitorId,
  session_id: null,
  context: null,
  user_id: userId,
  traits: {},
});
const conversion = (visitorId: string, at: number) => ({
  type: 'conversion',
  id: newId(at),
  timestamp: new Date(at).toISOString(),
  visitor_id: visitorId,
  session_id: null,
  context: null,
  name: 'purchase',
  revenue: 40,
  currency: 'EUR',
  properties: {},
});

/** Marks left and touches kept, read straight from the database (the refresher's work, not a Storage method's). */
async function counts(fixture: Fixture, dialect: string): Promise<{ marks: number; touches: number }> {
  const sql = 'SELECT (SELECT COUNT(*) FROM journey_dirty) AS marks, (SELECT COUNT(*) FROM journey_touches) AS touches';
  if (dialect === 'postgres') {
    const [row] = await queryTestSchema<{ marks: string; touches: string }>(fixture.databaseUrl, sql);
    return { marks: Number(row?.marks), touches: Number(row?.touches) };
  }
  const db = new Database(fixture.databaseUrl, { readonly: true });
  try {
    return db.prepare(sql).get() as { marks: number; touches: number };
  } finally {
    db.close();
  }
}

describe.each(await storageFactories(process.env, import.meta.url))(
  'journey refresher in the collector on $dialect',
  (factory) => {
    it('builds the journeys of ingested conversions and rebuilds them after a later identify, while answers stay exact', async () => {
      fx = await startCollector({ journeyRefreshMs: 100 }, factory);
      const key = await fx.keyFor('shop');
      const now = Date.now();
      const [phone, laptop] = [randomUUID(), randomUUID()];
      await postBatch(fx.url, key, [
        landing(phone, now - 10 * DAY, 'https://shop.example/?utm_source=news&utm_medium=email'),
        landing(laptop, now - DAY, 'https://shop.example/'),
        identify(phone, 'ann', now - 10 * DAY),
        conversion(laptop, now - 1000),
      ]);
      const fixture = fx;
      // Built by the collector's own refresher: every mark consumed, the conversion's one touch kept.
      await waitUntil('the refresher built the journey', async () => {
        const c = await counts(fixture, factory.dialect);
        return c.marks === 0 && c.touches === 1;
      });
      const window = `/api/v1/attribution?model=first_touch&from=${now - DAY}&to=${now}`;
      expect((await getJson(fx.url, key, window)).body.channels).toEqual([
        { channel: 'direct', conversions: 1, revenue: 40 },
      ]);
      await postBatch(fx.url, key, [identify(laptop, 'ann', now - 500)]);
      // Rebuilt with the phone's session, which now leads the journey.
      await waitUntil('the refresher rebuilt the journey', async () => {
        const c = await counts(fixture, factory.dialect);
        return c.marks === 0 && c.touches === 2;
      });
      expect((await getJson(fx.url, key, window)).body.channels).toEqual([
        { channel: 'email', conversions: 1, revenue: 40 },
      ]);
    });
  },
);
