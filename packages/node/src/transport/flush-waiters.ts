// Pending flush() calls: each waits until every item enqueued before it has settled, or its timeout.
import type { TimerSet } from './timer-set.js';
import type { FlushResult, TransportStats } from './transport.js';

export interface FlushWaiters {
  /** Waits until no item with seq <= `target` is unsettled; `timeoutMs` ends the wait with settled=false. */
  wait(target: number, timeoutMs: number | undefined): Promise<FlushResult>;
  /** Called after every change: resolves the waiters whose items all settled. */
  check(lowestUnsettledSeq: number): void;
  /** Ends every wait now (used at shutdown). */
  resolveAll(settled: boolean): void;
  readonly size: number;
}

interface Waiter {
  target: number;
  finish: (settled: boolean) => void;
}

/**
 * Waiting on a target sequence number rather than "queue empty" means a flush under continuous
 * load still ends: items enqueued after the call are not its business.
 */
export function createFlushWaiters(timers: TimerSet, stats: () => TransportStats): FlushWaiters {
  const waiters = new Set<Waiter>();

  return {
    wait(target, timeoutMs) {
      return new Promise<FlushResult>((resolve) => {
        let cancelTimeout = (): void => undefined;
        const waiter: Waiter = {
          target,
          finish(settled) {
            if (!waiters.delete(waiter)) return;
            cancelTimeout();
            timers.release();
            resolve({ settled, stats: stats() });
          },
        };
        waiters.add(waiter);
        timers.hold();
        if (timeoutMs !== undefined) cancelTimeout = timers.after(timeoutMs, () => waiter.finish(false));
      });
    },
    check(lowestUnsettledSeq) {
      for (const waiter of [...waiters]) {
        if (waiter.target < lowestUnsettledSeq) waiter.finish(true);
      }
    },
    resolveAll(settled) {
      for (const waiter of [...waiters]) waiter.finish(settled);
    },
    get size() {
      return waiters.size;
    },
  };
}
