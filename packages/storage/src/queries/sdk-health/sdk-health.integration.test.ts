// SDK health reports on both dialects: hourly rows keep the latest counters, a window reads their growth per instance, old rows are pruned.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, SdkHealthReport, Storage } from '../../storage.js';
import { rawRows } from '../../test-support/raw-sql.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-10T00:00:00Z');

const report = (
  accountId: string,
  instanceId: string,
  reportedAt: number,
  n: Partial<SdkHealthReport> = {},
): SdkHealthReport => ({
  accountId,
  instanceId,
  reportedAt,
  sdk: '@touchline/node/0.1.0',
  delivered: 0,
  retries: 0,
  authFailures: 0,
  dropped: 0,
  navigations: 0,
  botNavigations: 0,
  ...n,
});

describe.each(await storageFactories(process.env, import.meta.url))('$dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  let shop: Account;
  let other: Account;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
    shop = await storage.ensureAccount('shop', T0);
    other = await storage.ensureAccount('other', T0);
  });
  afterEach(async () => {
    await db.remove();
  });

  describe('sdk health storage', () => {
    it("reads each instance's counter growth inside the window: before-window counters subtracted, new instances from zero, accounts apart", async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      await storage.recordSdkHealth([
        report(shop.id, a, T0 + 1 * HOUR, { delivered: 100, authFailures: 7, navigations: 50 }),
        report(shop.id, a, T0 + 30 * HOUR, {
          delivered: 300,
          retries: 4,
          authFailures: 9,
          dropped: 2,
          navigations: 150,
          botNavigations: 10,
        }),
        // Out of order within an hour: the larger (later) counters win.
        report(shop.id, a, T0 + 30 * HOUR - 60_000, { delivered: 250, authFailures: 8, navigations: 120 }),
        report(shop.id, b, T0 + 40 * HOUR, { delivered: 20, navigations: 20, botNavigations: 5 }),
        report(other.id, randomUUID(), T0 + 40 * HOUR, { delivered: 999, authFailures: 999 }),
      ]);
      const day = await storage.sdkHealth(shop.id, { from: T0 + 24 * HOUR, to: T0 + 48 * HOUR });
      expect(day).toEqual({
        instances: 2,
        delivered: 200 + 20,
        retries: 4,
        authFailures: 2,
        dropped: 2,
        navigations: 100 + 20,
        botNavigations: 15,
        maxClockSkewMs: 0,
        skewedInstances: 0,
      });
      // An instance that reported only before the window is not in it.
      expect(await storage.sdkHealth(shop.id, { from: T0, to: T0 + 2 * HOUR })).toMatchObject({
        instances: 1,
        delivered: 100,
        authFailures: 7,
      });
      expect(await storage.sdkHealth(shop.id, { from: T0 + 50 * HOUR, to: T0 + 60 * HOUR })).toEqual({
        instances: 0,
        delivered: 0,
        retries: 0,
        authFailures: 0,
        dropped: 0,
        navigations: 0,
        botNavigations: 0,
        maxClockSkewMs: 0,
        skewedInstances: 0,
      });
    });

    it("keeps each hour's largest sender clock offset in magnitude, and reads the window's largest skew and skewed instances (issue 16 item 9)", async () => {
      const [fast, slow, fine] = [randomUUID(), randomUUID(), randomUUID()];
      const at = T0 + 30 * HOUR;
      // One call holding two reports of one instance and hour (PostgreSQL merges them in the statement), then a later smaller one.
      await storage.recordSdkHealth([
        { ...report(shop.id, fast, at, { delivered: 1 }), clockOffsetMs: 2 * HOUR },
        { ...report(shop.id, fast, at + 1000, { delivered: 2 }), clockOffsetMs: 90 * 60_000 },
        { ...report(shop.id, slow, at, { delivered: 1 }), clockOffsetMs: -3 * HOUR },
        { ...report(shop.id, fine, at, { delivered: 1 }), clockOffsetMs: -250 },
      ]);
      await storage.recordSdkHealth([
        { ...report(shop.id, fast, at + 2000, { delivered: 3 }), clockOffsetMs: 5 * 60_000 },
      ]);
      expect(await storage.sdkHealth(shop.id, { from: T0 + 24 * HOUR, to: T0 + 48 * HOUR })).toMatchObject({
        instances: 3,
        maxClockSkewMs: 3 * HOUR,
        skewedInstances: 2,
      });
      const [row] = await rawRows<{ clock_offset_ms: number }>(
        db,
        `SELECT clock_offset_ms FROM sdk_health WHERE instance_id = '${fast}'`,
      );
      expect(row?.clock_offset_ms).toBe(2 * HOUR);
      // Without an offset (older callers) a report stores 0.
      await storage.recordSdkHealth([report(other.id, randomUUID(), at, { delivered: 1 })]);
      expect(await storage.sdkHealth(other.id, { from: T0 + 24 * HOUR, to: T0 + 48 * HOUR })).toMatchObject({
        maxClockSkewMs: 0,
        skewedInstances: 0,
      });
    });

    it("prunes an account's rows older than 8 days, and a report for an unknown account stores nothing", async () => {
      const a = randomUUID();
      await storage.recordSdkHealth([report(shop.id, a, T0, { delivered: 5 })]);
      await storage.recordSdkHealth([report(shop.id, a, T0 + 9 * 24 * HOUR, { delivered: 8 })]);
      // The T0 row is gone, so the whole counter now counts as growth of the later window.
      expect(await storage.sdkHealth(shop.id, { from: T0 + 8 * 24 * HOUR, to: T0 + 10 * 24 * HOUR })).toMatchObject({
        instances: 1,
        delivered: 8,
      });
      await expect(storage.recordSdkHealth([report(randomUUID(), a, T0)])).rejects.toThrow(/recordSdkHealth failed/);
    });
  });
});
