// Test helper: a simulated clock and scheduler for the SDK, so minutes of outage run in milliseconds against real sockets.
import type { Scheduler, TimerHandle } from '@touchline/node';

interface VirtualTimer {
  at: number;
  seq: number;
  fn: () => void;
}

export interface VirtualClock {
  now(): number;
  scheduler: Scheduler;
  /** Timers waiting. */
  readonly pending: number;
  /**
   * Moves time forward by `ms`, firing each timer due on the way at its own instant, in order,
   * and awaiting `settle` after each so real I/O started by a timer finishes before time moves on.
   */
  advanceBy(ms: number, settle: () => Promise<void>): Promise<void>;
}

export function createVirtualClock(start: number): VirtualClock {
  let t = start;
  let seq = 0;
  const timers = new Map<number, VirtualTimer>();
  const handle = (id: number): TimerHandle & { id: number } => ({
    id,
    ref() {
      return this;
    },
    unref() {
      return this;
    },
  });
  const earliest = (): VirtualTimer | undefined => {
    let first: VirtualTimer | undefined;
    for (const timer of timers.values())
      if (first === undefined || timer.at < first.at || (timer.at === first.at && timer.seq < first.seq)) first = timer;
    return first;
  };
  return {
    now: () => t,
    scheduler: {
      setTimeout(fn, ms) {
        seq += 1;
        timers.set(seq, { at: t + Math.max(0, ms), seq, fn });
        return handle(seq);
      },
      clearTimeout(h) {
        timers.delete((h as ReturnType<typeof handle>).id);
      },
    },
    get pending() {
      return timers.size;
    },
    async advanceBy(ms, settle) {
      const target = t + ms;
      await settle();
      for (let next = earliest(); next !== undefined && next.at <= target; next = earliest()) {
        timers.delete(next.seq);
        t = next.at;
        next.fn();
        await settle();
      }
      t = target;
    },
  };
}
