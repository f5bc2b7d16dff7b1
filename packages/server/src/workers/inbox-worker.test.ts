// The worker's failure split: a busy storage ends the pass and keeps the rows leased; only real write failures dead-letter.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  applied as appliedOutcome,
  partial,
  StorageError,
  type InboxRow,
  type ProcessedBatch,
  type Storage,
} from '@touchline/storage';
import { parseServerSettings } from '../server-settings.js';
import { createInboxWorker, faultBackoffMs, MAX_FAULT_BACKOFF_MS, PRESSURED_SLICE_ROWS } from './inbox-worker.js';

function row(seq: number): InboxRow {
  const payload = {
    type: 'event',
    id: `0190f7c2-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    timestamp: new Date(1_700_000_000_000).toISOString(),
    visitor_id: 'v',
    session_id: 's',
    context: null,
    name: 'x',
    properties: {},
  };
  return {
    seq,
    accountId: 'acct',
    itemId: payload.id,
    type: 'event',
    payload: JSON.stringify(payload),
    receivedAt: 1,
    attempts: 1,
  };
}

/** Storage that hands out two rows once and fails every write with `error`, recording the batches it was given. */
function failingStorage(error: Error): { storage: Storage; applied: ProcessedBatch[]; released: number[][] } {
  const applied: ProcessedBatch[] = [];
  const released: number[][] = [];
  let rows = [row(1), row(2)];
  const storage = {
    claimInbox: async () => {
      const out = rows;
      rows = [];
      return out;
    },
    releaseInbox: async (options: { seqs: number[] }) => {
      released.push(options.seqs);
    },
    applyProcessed: async (batch: ProcessedBatch) => {
      applied.push(batch);
      if (batch.done.length > 0) throw error;
      return appliedOutcome();
    },
  } as unknown as Storage;
  return { storage, applied, released };
}

const metrics = { processed: { inc: () => {} } };

afterEach(() => {
  vi.useRealTimers();
});

describe('inbox worker failures', () => {
  it('ends the pass on a busy storage without dead-lettering anything', async () => {
    const { storage, applied } = failingStorage(new StorageError('busy', 'applyProcessed failed: deadlock detected'));
    const worker = createInboxWorker({
      storage,
      settings: parseServerSettings(),
      metrics,
      now: () => 1,
      onError: () => {},
    });
    await expect(worker.runOnce()).rejects.toMatchObject({ code: 'busy' });
    expect(applied.flatMap((b) => b.dead)).toEqual([]);
  });

  it('ends the pass on unavailable storage (disk full, connection lost) and gives the rows back uncounted', async () => {
    const { storage, applied, released } = failingStorage(
      new StorageError('unavailable', 'applyProcessed failed: database or disk is full'),
    );
    const worker = createInboxWorker({
      storage,
      settings: parseServerSettings(),
      metrics,
      now: () => 1,
      onError: () => {},
    });
    await expect(worker.runOnce()).rejects.toMatchObject({ code: 'unavailable' });
    expect(applied.flatMap((b) => b.dead)).toEqual([]);
    expect(released).toEqual([[1, 2]]);
  });

  it('waits longer after each failed pass, up to a cap', () => {
    expect([0, 1, 2, 3, 10].map((n) => faultBackoffMs(50, n))).toEqual([50, 100, 200, 400, MAX_FAULT_BACKOFF_MS]);
  });

  it('keeps its pace when passes fail midway but finish slices first (the WAL bound refusing now and then), and backs off when they finish none', async () => {
    vi.useFakeTimers();
    /** 1,000 rows; every pass's second claim is refused as busy, after its first slice went through. */
    function refusingEverySecondClaim(stuck: boolean): { storage: Storage; applied: number[] } {
      const applied: number[] = [];
      let next = 1;
      let claims = 0;
      const storage = {
        claimInbox: async ({ limit }: { limit: number }) => {
          if (next > 1000) return [];
          claims += 1;
          if (stuck || claims % 2 === 0) throw new StorageError('busy', 'the write-ahead log is near its bound');
          const rows: InboxRow[] = [];
          while (rows.length < limit && next <= 1000) rows.push(row(next++));
          return rows;
        },
        releaseInbox: async () => {},
        applyProcessed: async (batch: ProcessedBatch) => {
          applied.push(...batch.done);
          return appliedOutcome();
        },
      } as unknown as Storage;
      return { storage, applied };
    }
    const settings = parseServerSettings({ worker: { idleMs: 50 } });
    const moving = refusingEverySecondClaim(false);
    const errors: Error[] = [];
    const worker = createInboxWorker({
      storage: moving.storage,
      settings,
      metrics,
      now: () => 1,
      onError: (e) => errors.push(e),
    });
    worker.start();
    // 10 passes of 100 rows at the idle pace take ~500 ms; doubling waits would take over 20 s.
    await vi.advanceTimersByTimeAsync(2000);
    expect(moving.applied).toHaveLength(1000);
    expect(errors).toHaveLength(1); // one report for the run of busy passes
    const stopped = worker.stop();
    await vi.advanceTimersByTimeAsync(100);
    await stopped;
    // The negative control: passes that finish nothing back off (no tight loop against a stuck database).
    const stuck = refusingEverySecondClaim(true);
    let claimsMade = 0;
    const counting = {
      ...stuck.storage,
      claimInbox: async (o: { limit: number }) => {
        claimsMade += 1;
        return stuck.storage.claimInbox(o as never);
      },
    } as unknown as Storage;
    const worker2 = createInboxWorker({ storage: counting, settings, metrics, now: () => 1, onError: () => {} });
    worker2.start();
    await vi.advanceTimersByTimeAsync(2000);
    expect(claimsMade).toBeLessThanOrEqual(5); // 100 + 200 + 400 + 800 ms of waits fill 2 s
    const stopped2 = worker2.stop();
    await vi.advanceTimersByTimeAsync(MAX_FAULT_BACKOFF_MS);
    await stopped2;
  });

  it('dead-letters each row whose write keeps failing for another reason', async () => {
    const { storage, applied } = failingStorage(
      new StorageError('query_failed', 'applyProcessed failed: value too long'),
    );
    const worker = createInboxWorker({
      storage,
      settings: parseServerSettings(),
      metrics,
      now: () => 1,
      onError: () => {},
    });
    await worker.runOnce();
    expect(applied.flatMap((b) => b.dead.map((d) => d.seq))).toEqual([1, 2]);
  });
});

describe('inbox worker against another worker', () => {
  it('processes only the rows still pending when another worker finished part of its pass', async () => {
    // Rows 1-4 claimed; row 2 was finished meanwhile by a worker that took them over after our lease.
    let claimed = [row(1), row(2), row(3), row(4)];
    const passes: number[][] = [];
    const processed: Array<{ inc: number }> = [];
    const storage = {
      claimInbox: async () => {
        const out = claimed;
        claimed = [];
        return out;
      },
      applyProcessed: async (batch: ProcessedBatch) => {
        passes.push(batch.done);
        return batch.done.includes(2) ? partial(batch.done.filter((seq) => seq !== 2)) : appliedOutcome();
      },
    } as unknown as Storage;
    const counted = {
      processed: {
        inc: (_: unknown, value: number) => {
          processed.push({ inc: value });
        },
      },
    };
    const worker = createInboxWorker({
      storage,
      settings: parseServerSettings(),
      metrics: counted,
      now: () => 1,
      onError: () => {},
    });
    await worker.runOnce();
    expect(passes).toEqual([
      [1, 2, 3, 4],
      [1, 3, 4],
    ]);
    expect(processed).toEqual([{ inc: 3 }]);
  });
});

describe('inbox worker slices', () => {
  /** Storage holding `count` rows that hands them out in claim order, recording each claim's limit. */
  function backlog(count: number): { storage: Storage; limits: number[]; applied: number[] } {
    const limits: number[] = [];
    const applied: number[] = [];
    let next = 1;
    const storage = {
      claimInbox: async ({ limit }: { limit: number }) => {
        limits.push(limit);
        const rows: InboxRow[] = [];
        while (rows.length < limit && next <= count) rows.push(row(next++));
        return rows;
      },
      applyProcessed: async (batch: ProcessedBatch) => {
        applied.push(...batch.done);
        return appliedOutcome();
      },
    } as unknown as Storage;
    return { storage, limits, applied };
  }

  it('claims short slices while ingest waits, full ones otherwise, and a short slice does not end the pass', async () => {
    let waiting = true;
    const { storage, limits, applied } = backlog(150);
    const settings = parseServerSettings({ worker: { batchSize: 1000 } });
    const worker = createInboxWorker({
      storage,
      settings,
      metrics,
      now: () => 1,
      onError: () => {},
      ingestWaiting: () => waiting,
    });
    await worker.runOnce();
    expect(limits.length).toBe(Math.ceil(150 / PRESSURED_SLICE_ROWS)); // the short last slice ends the pass
    expect(limits.every((l) => l === PRESSURED_SLICE_ROWS)).toBe(true);
    expect(applied).toHaveLength(150);
    waiting = false;
    const quiet = backlog(150);
    const worker2 = createInboxWorker({
      storage: quiet.storage,
      settings,
      metrics,
      now: () => 1,
      onError: () => {},
      ingestWaiting: () => waiting,
    });
    await worker2.runOnce();
    expect(quiet.limits).toEqual([100, 100]);
    expect(quiet.applied).toHaveLength(150);
  });
});
