// Announced integrity alerts on both dialects: each entry into alert and each recovery is claimed by exactly one caller, also when callers race, and per account.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../storage.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

describe.each(await storageFactories(process.env, import.meta.url))('$dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
  });
  afterEach(async () => {
    await db.remove();
  });

  it('claims an alert once, keeps it while it lasts, claims its recovery once, and keeps accounts apart', async () => {
    const shop = await storage.ensureAccount('shop', 1);
    const blog = await storage.ensureAccount('blog', 1);
    expect(
      await storage.claimAlertTransitions(shop.id, { alerting: ['leak', 'flapping'], calm: ['ghosts'], now: 10 }),
    ).toEqual({ entered: ['leak', 'flapping'], recovered: [] });
    expect(
      await storage.claimAlertTransitions(shop.id, { alerting: ['leak', 'flapping'], calm: ['ghosts'], now: 20 }),
    ).toEqual({ entered: [], recovered: [] });
    expect(await storage.claimAlertTransitions(blog.id, { alerting: ['leak'], calm: [], now: 20 })).toEqual({
      entered: ['leak'],
      recovered: [],
    });
    expect(
      await storage.claimAlertTransitions(shop.id, { alerting: ['flapping'], calm: ['leak', 'ghosts'], now: 30 }),
    ).toEqual({ entered: [], recovered: ['leak'] });
    expect(
      await storage.claimAlertTransitions(shop.id, { alerting: ['flapping'], calm: ['leak', 'ghosts'], now: 40 }),
    ).toEqual({ entered: [], recovered: [] });
    // The blog's alert was not touched by the shop's recovery.
    expect(await storage.claimAlertTransitions(blog.id, { alerting: [], calm: ['leak'], now: 50 })).toEqual({
      entered: [],
      recovered: ['leak'],
    });
  });

  it('of callers racing on the same transition, exactly one claims it', async () => {
    const shop = await storage.ensureAccount('shop', 1);
    const entered = await Promise.all(
      Array.from({ length: 6 }, () =>
        storage.claimAlertTransitions(shop.id, { alerting: ['leak'], calm: [], now: 10 }),
      ),
    );
    expect(entered.flatMap((c) => c.entered)).toEqual(['leak']);
    const recovered = await Promise.all(
      Array.from({ length: 6 }, () =>
        storage.claimAlertTransitions(shop.id, { alerting: [], calm: ['leak'], now: 20 }),
      ),
    );
    expect(recovered.flatMap((c) => c.recovered)).toEqual(['leak']);
  });
});
