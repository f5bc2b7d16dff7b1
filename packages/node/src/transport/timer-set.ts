// The transport's timers in one place: unref'd by default, kept alive only while someone awaits a flush.

export interface TimerOptions {
  /** Kept alive while the set is held (a flush or close is awaited). @default true */
  holdable?: boolean;
}

export interface TimerSet {
  /** Runs `fn` once after `ms`; returns a cancel function. */
  after(ms: number, fn: () => void, options?: TimerOptions): () => void;
  /** Resolves true after `ms`, or false as soon as the set is cleared. */
  sleep(ms: number): Promise<boolean>;
  /** Nested: while held at least once, holdable timers keep the process alive. */
  hold(): void;
  release(): void;
  /** Cancels every timer; pending sleeps resolve false. */
  clear(): void;
  /** Timers pending. */
  readonly size: number;
}

/** What a scheduler hands back: a real Timeout, or a test clock's stand-in. */
export interface TimerHandle {
  ref(): unknown;
  unref(): unknown;
}

/** Where timers come from. Injected by tests that simulate minutes of outage in milliseconds. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Web-standard runtimes (edge, workers, Deno) return a number: nothing to ref, so both are no-ops. */
const WEB_TIMER = Symbol('web timer id');
interface NumericHandle extends TimerHandle {
  [WEB_TIMER]: unknown;
}

/** The global timers (read at call time, so nothing is captured at import). */
export const realScheduler: Scheduler = {
  setTimeout(fn, ms) {
    const handle: unknown = setTimeout(fn, ms);
    if (typeof (handle as Partial<TimerHandle> | null)?.unref === 'function') return handle as TimerHandle;
    const numeric: NumericHandle = { [WEB_TIMER]: handle, ref: () => numeric, unref: () => numeric };
    return numeric;
  },
  clearTimeout: (handle) =>
    clearTimeout((WEB_TIMER in handle ? (handle as NumericHandle)[WEB_TIMER] : handle) as NodeJS.Timeout),
};

interface Pending {
  handle: TimerHandle;
  holdable: boolean;
  onClear: () => void;
}

/**
 * Why ref only while held: a background timer must never keep the host process alive, but a
 * script ending in `await client.close()` must not exit while a retry it is waiting for is pending.
 */
export function createTimerSet(scheduler: Scheduler = realScheduler): TimerSet {
  const pending = new Set<Pending>();
  let holds = 0;

  const applyRef = (entry: Pending): void => {
    if (entry.holdable && holds > 0) entry.handle.ref();
    else entry.handle.unref();
  };

  const schedule = (ms: number, fn: () => void, holdable: boolean, onClear: () => void): (() => void) => {
    const entry: Pending = {
      handle: scheduler.setTimeout(
        () => {
          pending.delete(entry);
          fn();
        },
        Math.max(0, ms),
      ),
      holdable,
      onClear,
    };
    pending.add(entry);
    applyRef(entry);
    return () => {
      if (pending.delete(entry)) scheduler.clearTimeout(entry.handle);
    };
  };

  return {
    after: (ms, fn, options = {}) => schedule(ms, fn, options.holdable ?? true, () => undefined),
    sleep: (ms) =>
      new Promise<boolean>((resolve) => {
        schedule(
          ms,
          () => resolve(true),
          true,
          () => resolve(false),
        );
      }),
    hold() {
      holds += 1;
      if (holds === 1) pending.forEach(applyRef);
    },
    release() {
      holds = Math.max(0, holds - 1);
      if (holds === 0) pending.forEach(applyRef);
    },
    clear() {
      const all = [...pending];
      pending.clear();
      for (const entry of all) {
        scheduler.clearTimeout(entry.handle);
        entry.onClear();
      }
    },
    get size() {
      return pending.size;
    },
  };
}
