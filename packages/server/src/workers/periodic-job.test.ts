// The shared background runner: a run at once (or after an interval), never two at once, failures reported, stop waits and tells the run.
import { describe, expect, it, vi } from 'vitest';
import { createPeriodicJob, startPeriodicJob } from './periodic-job.js';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('startPeriodicJob', () => {
  it('runs at once, then again and again, one run at a time, reporting failures and going on', async () => {
    let runs = 0;
    let active = 0;
    let maxActive = 0;
    const errors: string[] = [];
    const job = startPeriodicJob(
      async () => {
        runs += 1;
        active += 1;
        maxActive = Math.max(maxActive, active);
        await tick(20); // longer than the interval: the next run must wait for this one
        active -= 1;
        if (runs === 2) throw new Error('disk full');
      },
      2,
      { onError: (e) => errors.push(e.message) },
    );
    expect(runs).toBe(1);
    while (runs < 4) await tick(5);
    await job.stop();
    const after = runs;
    await tick(40);
    expect(runs).toBe(after);
    expect(maxActive).toBe(1);
    expect(errors).toEqual(['disk full']);
  });

  it('joins a run in progress on runNow, and stop tells the run to end and waits for it', async () => {
    const seen: boolean[] = [];
    let finished = 0;
    const job = startPeriodicJob(
      async (stopping) => {
        while (!stopping()) await tick(2);
        seen.push(stopping());
        finished += 1;
      },
      1_000_000,
      { onError: () => undefined },
    );
    const joined = job.runNow();
    await job.stop();
    await joined;
    expect(finished).toBe(1);
    expect(seen).toEqual([true]);
  });

  it('with firstRunAfterMs runs first after that delay, then every interval after a run ended', async () => {
    vi.useFakeTimers();
    try {
      let runs = 0;
      const job = startPeriodicJob(
        async () => {
          runs += 1;
        },
        1_000,
        { onError: () => undefined, firstRunAfterMs: 5_000 },
      );
      expect(runs).toBe(0);
      await vi.advanceTimersByTimeAsync(4_999);
      expect(runs).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(runs).toBe(1);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(runs).toBe(2);
      await job.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('with atStart: false waits one interval; runNow before start runs without a timer', async () => {
    let runs = 0;
    const job = createPeriodicJob(
      async (stopping) => {
        if (!stopping()) runs += 1;
      },
      20,
      { onError: () => undefined, atStart: false },
    );
    await job.runNow();
    expect(runs).toBe(1);
    job.start();
    expect(runs).toBe(1);
    while (runs < 2) await tick(5);
    await job.stop();
  });

  it('reports a run that throws synchronously and a non-Error rejection as Errors', async () => {
    const errors: Error[] = [];
    const sync = createPeriodicJob(
      () => {
        throw new Error('broken contract');
      },
      1000,
      { onError: (e) => errors.push(e) },
    );
    await sync.runNow();
    const odd = createPeriodicJob(() => Promise.reject('plain string'), 1000, { onError: (e) => errors.push(e) });
    await odd.runNow();
    expect(errors.map((e) => [e instanceof Error, e.message])).toEqual([
      [true, 'broken contract'],
      [true, 'plain string'],
    ]);
  });
});
