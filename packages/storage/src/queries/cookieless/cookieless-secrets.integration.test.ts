// Cookieless daily secrets on both dialects: created once per account and day, shared by racing callers, gone after the day plus the margin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRows } from '../../test-support/raw-sql.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';
import { openStorage } from '../../open-storage.js';
import { secretExpiry, secretKey } from './cookieless-secrets.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MARGIN = 6 * HOUR;
const D = 20_000; // a UTC day number (2024-10-04)

describe.each(await storageFactories(process.env, import.meta.url))('cookieless secrets on $dialect', (factory) => {
  let db: TestStorage;
  beforeAll(async () => {
    db = await factory.open();
  });
  afterAll(async () => {
    await db.remove();
  });

  const stored = (): Promise<Array<{ day: number }>> =>
    rawRows<{ day: number }>(db, 'SELECT day FROM cookieless_secrets ORDER BY day');

  it('creates a secret on first use and answers the same one after, per account and day', async () => {
    const a = await db.storage.ensureAccount('secrets-a', 1);
    const b = await db.storage.ensureAccount('secrets-b', 1);
    const now = D * DAY + 10 * HOUR;
    const first = await db.storage.cookielessSecrets(
      [
        { accountId: a.id, day: D },
        { accountId: b.id, day: D },
        { accountId: a.id, day: D + 1 },
      ],
      now,
      MARGIN,
    );
    expect(first.size).toBe(3);
    const secret = first.get(secretKey(a.id, D));
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(first.values()).size).toBe(3); // no account or day shares a secret
    // A second collector (its own connection) asks for the same day: it gets the first one's secret.
    const other = openStorage(db.url);
    try {
      const again = await other.cookielessSecrets([{ accountId: a.id, day: D }], now + 1000, MARGIN);
      expect(again.get(secretKey(a.id, D))).toBe(secret);
    } finally {
      await other.close();
    }
  });

  it('racing first uses agree on one secret', async () => {
    const a = await db.storage.ensureAccount('secrets-race', 1);
    const collectors = [db.storage, openStorage(db.url), openStorage(db.url)];
    try {
      const answers = await Promise.all(
        collectors.map((s) => s.cookielessSecrets([{ accountId: a.id, day: D + 3 }], D * DAY, MARGIN)),
      );
      expect(new Set(answers.map((m) => m.get(secretKey(a.id, D + 3)))).size).toBe(1);
    } finally {
      await Promise.all(collectors.slice(1).map((s) => s.close()));
    }
  });

  it('deletes a secret once its day and the margin have passed, and never creates one for such a day', async () => {
    const a = await db.storage.ensureAccount('secrets-expiry', 1);
    await db.storage.cookielessSecrets([{ accountId: a.id, day: D + 10 }], (D + 10) * DAY, MARGIN);
    expect((await stored()).map((r) => Number(r.day))).toContain(D + 10);
    const justBefore = secretExpiry(D + 10, MARGIN) - 1;
    expect((await db.storage.cookielessSecrets([{ accountId: a.id, day: D + 10 }], justBefore, MARGIN)).size).toBe(1);
    // Any later pass deletes it, whichever account or day that pass asks for.
    const after = secretExpiry(D + 10, MARGIN);
    const answer = await db.storage.cookielessSecrets(
      [
        { accountId: a.id, day: D + 10 },
        { accountId: a.id, day: D + 11 },
      ],
      after,
      MARGIN,
    );
    expect([...answer.keys()]).toEqual([secretKey(a.id, D + 11)]);
    expect((await stored()).map((r) => Number(r.day))).not.toContain(D + 10);
    expect((await stored()).every((r) => Number(r.day) >= D + 11)).toBe(true);
  });

  it('has no secret for an unknown account', async () => {
    expect(
      (await db.storage.cookielessSecrets([{ accountId: 'no-such-account', day: D + 20 }], (D + 20) * DAY, MARGIN))
        .size,
    ).toBe(0);
  });
});
