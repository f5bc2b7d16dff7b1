// Worker tests on real SQLite and PostgreSQL: poison rows are dead-lettered with a reason and never block the rest.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import type { Storage } from '@touchline/storage';
import { storageFactories, type TestStorage } from '../../../storage/src/test-support/storage-factories.js';
import { createCollectorMetrics } from '../metrics/collector-metrics.js';
import { parseServerSettings } from '../server-settings.js';
import { createInboxWorker } from './inbox-worker.js';

let db: TestStorage | null = null;
let storage: Storage | null = null;
afterEach(async () => {
  await db?.remove();
  db = null;
  storage = null;
});

function event(visitorId: string, sessionId: string) {
  const at = Date.now();
  return {
    type: 'event',
    id: newId(at),
    timestamp: new Date(at).toISOString(),
    visitor_id: visitorId,
    session_id: sessionId,
    context: null,
    name: 'x',
    properties: {},
  };
}

describe.each(await storageFactories(process.env, import.meta.url))('inbox worker on $dialect', (factory) => {
  it('dead-letters poison rows with their reason and processes every good row around them', async () => {
    db = await factory.open();
    storage = db.storage;
    const account = await storage.ensureAccount('a', Date.now());
    const v = randomUUID();
    const s = randomUUID();
    const good = Array.from({ length: 10 }, () => event(v, s));
    const poison = [
      { itemId: newId(), type: 'event', payload: '{not json' },
      { itemId: newId(), type: 'event', payload: JSON.stringify({ type: 'event', id: 'nope' }) },
    ];
    await storage.insertInbox(
      account.id,
      [
        ...good.slice(0, 5).map((e) => ({ itemId: e.id, type: 'event', payload: JSON.stringify(e) })),
        ...poison,
        ...good.slice(5).map((e) => ({ itemId: e.id, type: 'event', payload: JSON.stringify(e) })),
      ],
      Date.now(),
    );
    const settings = parseServerSettings({ worker: { batchSize: 4 } });
    const errors: Error[] = [];
    const worker = createInboxWorker({
      storage,
      settings,
      metrics: createCollectorMetrics(storage, Date.now),
      now: Date.now,
      onError: (e) => errors.push(e),
    });
    await worker.drain();
    expect(errors).toEqual([]);
    expect(await storage.inboxHealth()).toMatchObject({ pending: 0, dead: 2 });
    expect(await storage.stats(account.id, 0, Date.now() + 1000)).toMatchObject({
      events: 10,
      sessions: 1,
      visitors: 1,
    });
  });

  it('reclaims rows a crashed worker had leased once the lease expires, and processes them once', async () => {
    db = await factory.open();
    storage = db.storage;
    const account = await storage.ensureAccount('a', Date.now());
    const items = Array.from({ length: 6 }, () => event(randomUUID(), randomUUID()));
    await storage.insertInbox(
      account.id,
      items.map((e) => ({ itemId: e.id, type: 'event', payload: JSON.stringify(e) })),
      Date.now(),
    );
    let clock = Date.now();
    // A worker claims and "dies" before applying: the rows are leased, not lost.
    expect(await storage.claimInbox({ limit: 100, leaseMs: 10_000, now: clock })).toHaveLength(6);
    const settings = parseServerSettings({ worker: { leaseMs: 10_000 } });
    const worker = createInboxWorker({
      storage,
      settings,
      metrics: createCollectorMetrics(storage, () => clock),
      now: () => clock,
      onError: () => {},
    });
    expect(await worker.runOnce()).toBe(0);
    clock += 10_001;
    await worker.drain();
    expect(await storage.inboxHealth()).toMatchObject({ pending: 0, dead: 0 });
    expect((await storage.stats(account.id, 0, clock + 1000)).events).toBe(6);
  });
});
