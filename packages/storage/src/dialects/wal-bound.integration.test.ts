// The WAL bound on a real SQLite file: continuous writes plus a reader that holds one snapshot never take the WAL past its bound (background writers defer), and writing resumes once the reader ends.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboxItem, Storage } from '../storage.js';
import { batch, makeTempDir, session, type TempDir } from '../test-support/temp-storage.js';
import { openSqliteStorage } from './sqlite.js';
import { walFileBytes } from './wal-bound.js';

const LIMIT = 1024 * 1024;
const ITEMS_PER_WRITE = 200;

let tmp: TempDir;
let storage: Storage;
let file: string;
beforeEach(async () => {
  tmp = await makeTempDir();
  file = tmp.file('bound.db');
  storage = openSqliteStorage({ path: file, walLimitBytes: LIMIT });
  await storage.migrate();
});
afterEach(async () => {
  await storage.close();
  await tmp.remove();
});

/** Waits for a condition the background thread brings about; asserts nothing about how long it takes. */
async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

let next = 0;
function items(count: number): InboxItem[] {
  return Array.from({ length: count }, () => {
    next += 1;
    return {
      itemId: `item-${String(next).padStart(8, '0')}`,
      type: 'event',
      payload: JSON.stringify(['page', 'x'.repeat(400), next]),
    };
  });
}

/** One write: its outcome, and the WAL's size right after it. */
async function write(accountId: string): Promise<{ stored: number; refused: boolean; walAfter: number }> {
  try {
    const { inserted } = await storage.insertInbox(accountId, items(ITEMS_PER_WRITE), 1);
    return { stored: inserted, refused: false, walAfter: walFileBytes(file) };
  } catch (error) {
    expect((error as { code?: unknown }).code).toBe('busy');
    return { stored: 0, refused: true, walAfter: walFileBytes(file) };
  }
}

describe('the WAL bound', () => {
  it('holds under continuous writes while a reader pins one snapshot, and writing resumes when the reader ends', async () => {
    const account = await storage.ensureAccount('a', 1);
    let stored = 0;
    // A first write, so the reader's snapshot is one the WAL holds frames of.
    stored += (await write(account.id)).stored;
    const reader = new Database(file, { readonly: true });
    reader.exec('BEGIN');
    expect(reader.prepare('SELECT count(*) AS n FROM inbox').get()).toEqual({ n: stored });

    // The largest growth one transaction caused: the bound may be passed by at most that much.
    let largestStep = 0;
    let refused = 0;
    let peak = 0;
    for (let i = 0; i < 2000 && refused < 5; i++) {
      const before = walFileBytes(file);
      const outcome = await write(account.id);
      stored += outcome.stored;
      if (outcome.refused) refused += 1;
      else largestStep = Math.max(largestStep, outcome.walAfter - before);
      peak = Math.max(peak, outcome.walAfter);
    }
    // The reader pinned the log, so it filled up and writes were refused before it reached the bound.
    expect(refused).toBe(5);
    expect(largestStep).toBeGreaterThan(0);
    expect(largestStep).toBeLessThan(LIMIT / 4);
    expect(peak).toBeLessThan(LIMIT);
    expect(peak).toBeGreaterThanOrEqual((LIMIT * 3) / 4);
    // The checkpointer tried to truncate and was kept from it by the reader.
    expect(await until(async () => ((await storage.diskUsage()).checkpoints?.busy ?? 0) > 0)).toBe(true);
    expect(reader.prepare('SELECT count(*) AS n FROM inbox').get()).toEqual({ n: 1 * ITEMS_PER_WRITE });

    reader.exec('COMMIT');
    reader.close();
    // Once the reader is gone a RESTART completes, and the next write starts the log from its
    // beginning and cuts the file back to an eighth of the bound (journal_size_limit).
    expect(await until(async () => ((await storage.diskUsage()).checkpoints?.complete ?? 0) > 0)).toBe(true);
    const after = await write(account.id);
    expect(after.refused).toBe(false);
    stored += after.stored;
    expect(after.walAfter).toBeLessThanOrEqual(LIMIT / 8 + largestStep);
    expect((await storage.diskUsage()).walLimitBytes).toBe(LIMIT);

    // Writes go on, and the WAL stays bound with no reader at all.
    for (let i = 0; i < 30; i++) {
      const outcome = await write(account.id);
      stored += outcome.stored;
      peak = Math.max(peak, outcome.walAfter);
    }
    expect(peak).toBeLessThan(LIMIT);
    // Every acknowledged item is stored, exactly once.
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT count(*) AS n FROM inbox').get()).toEqual({ n: stored });
    check.close();
  });

  it('background writers (journey refresher, inbox pruning and compaction) defer while a reader pins the log at its bound', async () => {
    const account = await storage.ensureAccount('a', 1);
    // Work for each of them: processed rows received long ago, and a converting visitor's journey to build.
    await storage.insertInbox(account.id, items(50), 1);
    const claimed = await storage.claimInbox({ limit: 50, leaseMs: 60_000, now: 2 });
    const t = Date.now() - 86_400_000;
    expect(
      await storage.applyProcessed(
        batch({
          done: claimed.map((r) => r.seq),
          sessions: [
            session(account.id, { id: 's1', visitorId: 'buyer', startedAt: t - 1000, lastSeenAt: t, channel: 'email' }),
          ],
          conversions: [
            {
              accountId: account.id,
              id: 'order',
              name: 'purchase',
              visitorId: 'buyer',
              sessionId: 's1',
              timestamp: t,
              revenue: 10,
              currency: 'EUR',
              properties: '{}',
            },
          ],
        }),
      ),
    ).toEqual({ kind: 'applied' });
    const reader = new Database(file, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM inbox').get();
    let refused = 0;
    for (let i = 0; i < 2000 && refused === 0; i++) if ((await write(account.id)).refused) refused += 1;
    expect(refused).toBe(1);

    const wal = walFileBytes(file);
    expect(await storage.refreshJourneys({ limit: 50 })).toEqual({
      visitors: 0,
      conversions: 0,
      done: true,
      deferred: true,
    });
    expect(await storage.compactInbox({ before: 1000, afterSeq: 0, limit: 100 })).toEqual({
      compacted: 0,
      lastSeq: 0,
      done: true,
      deferred: true,
    });
    expect(await storage.pruneInbox({ before: 1000, afterSeq: 0, limit: 100 })).toEqual({
      deleted: 0,
      lastSeq: 0,
      done: true,
      deferred: true,
    });
    expect(walFileBytes(file)).toBe(wal);

    reader.exec('COMMIT');
    reader.close();
    expect(await until(async () => ((await storage.diskUsage()).checkpoints?.complete ?? 0) > 0)).toBe(true);
    expect((await write(account.id)).refused).toBe(false);
    // With room again they do their work.
    expect(await storage.refreshJourneys({ limit: 50 })).toMatchObject({ conversions: 1 });
    expect((await storage.compactInbox({ before: 1000, afterSeq: 0, limit: 100 })).compacted).toBe(50);
    expect((await storage.pruneInbox({ before: 1000, afterSeq: 0, limit: 100 })).deleted).toBe(50);
  });

  it('rejects a bound below the minimum when opening', () => {
    expect(() => openSqliteStorage({ path: tmp.file('small.db'), walLimitBytes: 1000 })).toThrow(
      /walLimitBytes must be an integer >= 262144/,
    );
  });
});
