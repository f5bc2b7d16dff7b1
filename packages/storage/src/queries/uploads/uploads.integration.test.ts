// Conversion-upload storage on both dialects: destinations, the conversions and journeys an upload reads, and the delivery log's queue, lease and outcomes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, ConversionRow, Storage } from '../../storage.js';
import type { UploadDestination } from '../../upload-definitions.js';
import { batch, session } from '../../test-support/temp-storage.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

const destination = (id: string, extra: Partial<UploadDestination> = {}): UploadDestination => ({
  id,
  name: `dest ${id}`,
  platform: 'meta',
  endpointUrl: 'http://127.0.0.1:1/events',
  token: 'secret',
  developerToken: null,
  conversionAction: null,
  conversionTypes: ['purchase'],
  sendUserData: false,
  enabled: true,
  createdAt: 1,
  updatedAt: 1,
  ...extra,
});
const conversion = (accountId: string, id: string, at: number, name = 'purchase', visitorId = 'v1'): ConversionRow => ({
  accountId,
  id,
  name,
  visitorId,
  sessionId: null,
  timestamp: at,
  revenue: 12.5,
  currency: 'EUR',
  properties: '{"email":"a@b.c"}',
});

describe.each(await storageFactories(process.env, import.meta.url))('conversion uploads on $dialect', (factory) => {
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

  it('stores destinations per account, replaces by id keeping createdAt, and deletes them with their log', async () => {
    expect(await storage.saveUploadDestination(acc.id, destination('d1', { createdAt: 5, updatedAt: 5 }))).toEqual(
      destination('d1', { createdAt: 5, updatedAt: 5 }),
    );
    const replaced = destination('d1', {
      platform: 'google_ads',
      developerToken: 'dev',
      conversionAction: 'customers/1/conversionActions/2',
      conversionTypes: ['a', 'b'],
      sendUserData: true,
      enabled: false,
      createdAt: 9,
      updatedAt: 9,
    });
    expect(await storage.saveUploadDestination(acc.id, replaced)).toEqual({ ...replaced, createdAt: 5 });
    await storage.saveUploadDestination(other.id, destination('d1'));
    expect((await storage.listUploadDestinations(acc.id)).map((d) => [d.accountId, d.platform])).toEqual([
      [acc.id, 'google_ads'],
    ]);
    expect((await storage.listUploadDestinations(null)).map((d) => d.accountId).sort()).toEqual(
      [acc.id, other.id].sort(),
    );
    await storage.enqueueUploads(
      acc.id,
      [{ destinationId: 'd1', conversionId: 'c1', occurredAt: 1, status: 'pending', payload: '{}' }],
      10,
    );
    expect(await storage.deleteUploadDestination(other.id, 'nope')).toEqual({ kind: 'not_found' });
    expect(await storage.deleteUploadDestination(acc.id, 'd1')).toEqual({ kind: 'deleted' });
    expect(await storage.uploadDeliveries(acc.id, { limit: 10 })).toEqual([]);
    expect(await storage.listUploadDestinations(other.id)).toHaveLength(1);
  });

  it('reads conversions of the destination types not yet in its log, and the converting person across identify links', async () => {
    await storage.saveUploadDestination(acc.id, destination('d1'));
    await storage.applyProcessed(
      batch({
        sessions: [
          session(acc.id, {
            id: 's1',
            visitorId: 'v1',
            startedAt: 100,
            clickIds: { gclid: 'g-old' },
            landingUrl: 'https://x.example/a',
          }),
          session(acc.id, { id: 's2', visitorId: 'v2', startedAt: 200, clickIds: { fbclid: 'f-phone' } }),
          session(acc.id, { id: 's3', visitorId: 'v1', startedAt: 300, channel: 'direct' }),
          session(other.id, { id: 's9', visitorId: 'v1', startedAt: 150, clickIds: { gclid: 'theirs' } }),
        ],
        conversions: [
          conversion(acc.id, 'c1', 400),
          conversion(acc.id, 'c2', 500, 'signup'),
          conversion(acc.id, 'c3', 600),
          conversion(other.id, 'c4', 450),
        ],
        identities: [
          {
            accountId: acc.id,
            userId: 'u1',
            visitorId: 'v1',
            timestamp: 50,
            traits: '{"phone":"+49301234567"}',
            traitsAt: 50,
          },
          {
            accountId: acc.id,
            userId: 'u1',
            visitorId: 'v2',
            timestamp: 60,
            traits: '{"email":"x@y.z"}',
            traitsAt: 60,
          },
        ],
      }),
    );
    const window = { types: ['purchase'], from: 0, to: 1000, limit: 10 };
    expect(
      (await storage.uploadConversions(acc.id, window)).map((c) => [c.id, c.timestamp, c.revenue, c.currency]),
    ).toEqual([
      ['c1', 400, 12.5, 'EUR'],
      ['c3', 600, 12.5, 'EUR'],
    ]);
    expect((await storage.uploadConversions(acc.id, { ...window, from: 401 })).map((c) => c.id)).toEqual(['c3']);
    await storage.enqueueUploads(
      acc.id,
      [{ destinationId: 'd1', conversionId: 'c1', occurredAt: 400, status: 'skipped', reason: 'no click' }],
      10,
    );
    expect((await storage.uploadConversions(acc.id, { ...window, unqueuedFor: 'd1' })).map((c) => c.id)).toEqual([
      'c3',
    ]);
    expect(
      (await storage.uploadConversions(acc.id, { ...window, unqueuedFor: 'other-dest' })).map((c) => c.id),
    ).toEqual(['c1', 'c3']);

    const journey = await storage.uploadJourney(acc.id, 'v1', { from: 0, to: 400 });
    // Sessions with click ids only, latest first, including the identify-linked visitor's; never another account's.
    expect(journey.sessions).toEqual([
      { id: 's2', visitorId: 'v2', startedAt: 200, landingUrl: null, clickIds: { fbclid: 'f-phone' } },
      { id: 's1', visitorId: 'v1', startedAt: 100, landingUrl: 'https://x.example/a', clickIds: { gclid: 'g-old' } },
    ]);
    expect(journey.traits).toEqual([{ email: 'x@y.z' }, { phone: '+49301234567' }]);
    expect((await storage.uploadJourney(acc.id, 'v1', { from: 150, to: 400 })).sessions.map((s) => s.id)).toEqual([
      's2',
    ]);
  });

  it('queues once (the first payload stays), leases due rows of enabled destinations only, and records outcomes under the lease', async () => {
    await storage.saveUploadDestination(acc.id, destination('on'));
    await storage.saveUploadDestination(acc.id, destination('off', { enabled: false }));
    const row = (destinationId: string, conversionId: string, payload: string) => ({
      destinationId,
      conversionId,
      occurredAt: 5,
      status: 'pending' as const,
      payload,
    });
    expect(
      await storage.enqueueUploads(
        acc.id,
        [row('on', 'c1', '{"v":1}'), row('on', 'c2', '{"v":2}'), row('off', 'c1', '{"v":3}')],
        100,
      ),
    ).toBe(3);
    expect(await storage.enqueueUploads(acc.id, [row('on', 'c1', '{"v":"changed"}')], 101)).toBe(0);

    expect(await storage.claimUploads({ now: 99, leaseMs: 1000, limit: 10 })).toEqual([]); // not due yet
    const claimed = await storage.claimUploads({ now: 100, leaseMs: 1000, limit: 10 });
    expect(
      claimed.map((c) => [c.destinationId, c.conversionId, c.payload, c.attempts, c.leasedUntil, c.accountId]),
    ).toEqual([
      ['on', 'c1', '{"v":1}', 0, 1100, acc.id],
      ['on', 'c2', '{"v":2}', 0, 1100, acc.id],
    ]);
    expect(await storage.claimUploads({ now: 200, leaseMs: 1000, limit: 10 })).toEqual([]); // leased
    const [c1, c2] = claimed;
    const outcome = (c: typeof c1, status: 'delivered' | 'pending', nextAttemptAt: number) => ({
      accountId: acc.id,
      destinationId: 'on',
      conversionId: c!.conversionId,
      leasedUntil: c!.leasedUntil,
      status,
      nextAttemptAt,
      error: status === 'pending' ? 'HTTP 503' : null,
      responseCode: status === 'pending' ? 503 : 200,
    });
    expect(await storage.recordUploadAttempts([outcome(c1, 'delivered', 300), outcome(c2, 'pending', 500)], 300)).toBe(
      2,
    );
    // A second record under the same (now stale) lease changes nothing.
    expect(await storage.recordUploadAttempts([outcome(c2, 'delivered', 300)], 301)).toBe(0);
    const again = await storage.claimUploads({ now: 500, leaseMs: 1000, limit: 10 });
    expect(again.map((c) => [c.conversionId, c.attempts])).toEqual([['c2', 1]]);

    const log = await storage.uploadDeliveries(acc.id, { destinationId: 'on', limit: 10 });
    expect(log.map((r) => [r.conversionId, r.status, r.attempts, r.responseCode, r.lastError])).toEqual(
      [
        ['c1', 'delivered', 1, 200, null],
        ['c2', 'pending', 1, 503, 'HTTP 503'],
      ].sort((a, b) => (a[0]! < b[0]! ? 1 : -1)) as unknown[],
    );
    expect(await storage.uploadDeliveries(acc.id, { status: 'delivered', limit: 10 })).toHaveLength(1);
    expect(await storage.uploadDeliveries(other.id, { limit: 10 })).toEqual([]);
    expect(await storage.uploadDeliveryCounts(acc.id)).toEqual([
      { destinationId: 'off', status: 'pending', count: 1 },
      { destinationId: 'on', status: 'delivered', count: 1 },
      { destinationId: 'on', status: 'pending', count: 1 },
    ]);
  });
});
