// The read pool: runs read operations a bounded number at a time, queues a bounded number more, and
// refuses the rest with ReadsBusyError (503 + Retry-After) instead of growing an unbounded queue.
import type { Storage } from '@touchline/storage';
import { ReadCancelledError } from './read-cancelled-error.js';
import { runReadOp, type ReadArgs, type ReadOpName, type ReadResult } from './read-ops.js';
import { ReadsBusyError } from './reads-busy-error.js';

export interface ReadRunOptions {
  /** Aborts the query: dropped if still queued, stopped if running on a thread. */
  signal?: AbortSignal;
  /**
   * The collector's own periodic work (the integrity monitor): waits for a slot however long the
   * queue is, since it is one caller at a time and must not fail because users are busy.
   */
  internal?: boolean;
}

export interface ReadPoolStats {
  running: number;
  queued: number;
  /** Slots that can run a query without starting anything first (a live thread that has answered; inline slots always). */
  ready: number;
  rejected: number;
  cancelled: number;
}

export interface ReadPool {
  readonly mode: 'thread' | 'inline';
  run<K extends ReadOpName>(op: K, args: ReadArgs<K>, options?: ReadRunOptions): Promise<ReadResult<K>>;
  stats(): ReadPoolStats;
  /**
   * Starts every read thread now and opens its connection (the `warm` operation on each slot), so the
   * first user's query does not pay for it; resolves when all are ready. Inline slots need nothing.
   */
  warm(): Promise<void>;
  /** Refuses new queries, drops queued ones, waits for running ones, and releases the slots. */
  close(): Promise<void>;
}

/** One place a query can run: a read thread, or the main thread. */
export interface ReadSlot {
  /** Runs one operation; `cancel` stops it if the slot can (a thread is terminated and replaced). */
  exec(op: ReadOpName, args: unknown[]): { result: Promise<unknown>; cancel(): void };
  /** Whether a query would start at once: false for a thread not started yet, or not yet past its first answer. */
  ready(): boolean;
  close(): Promise<void>;
}

interface Waiting {
  op: ReadOpName;
  args: unknown[];
  signal: AbortSignal | undefined;
  resolve(value: unknown): void;
  reject(error: Error): void;
  onAbort?: () => void;
}

export interface ReadPoolOptions {
  mode: 'thread' | 'inline';
  slots: ReadSlot[];
  maxQueued: number;
  retryAfterSeconds: number;
}

export function createReadPool(options: ReadPoolOptions): ReadPool {
  const free = [...options.slots];
  const queue: Waiting[] = [];
  let running = 0;
  let rejected = 0;
  let cancelled = 0;
  let closed = false;
  let idle: (() => void) | null = null;

  function start(slot: ReadSlot, w: Waiting): void {
    running += 1;
    const { result, cancel } = slot.exec(w.op, w.args);
    const abort = (): void => {
      cancelled += 1;
      cancel();
      w.reject(new ReadCancelledError(w.op));
    };
    w.signal?.addEventListener('abort', abort, { once: true });
    const finish = (): void => {
      w.signal?.removeEventListener('abort', abort);
      running -= 1;
      free.push(slot);
      pump();
    };
    result.then(
      (value) => {
        finish();
        w.resolve(value);
      },
      (error: unknown) => {
        finish();
        w.reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  function pump(): void {
    while (free.length > 0 && queue.length > 0) {
      const w = queue.shift() as Waiting;
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      start(free.pop() as ReadSlot, w);
    }
    if (running === 0 && idle) idle();
  }

  function run<K extends ReadOpName>(
    op: K,
    args: ReadArgs<K>,
    runOptions: ReadRunOptions = {},
  ): Promise<ReadResult<K>> {
    const { signal, internal = false } = runOptions;
    if (closed) return Promise.reject(new Error('the collector is shutting down: no new queries'));
    if (signal?.aborted) {
      cancelled += 1;
      return Promise.reject(new ReadCancelledError(op));
    }
    if (free.length === 0 && !internal && queue.length >= options.maxQueued) {
      rejected += 1;
      return Promise.reject(new ReadsBusyError(options.retryAfterSeconds, running, queue.length));
    }
    return new Promise<ReadResult<K>>((resolve, reject) => {
      const w: Waiting = { op, args: args as unknown[], signal, resolve: resolve as (v: unknown) => void, reject };
      const slot = free.pop();
      if (slot !== undefined) {
        start(slot, w);
        return;
      }
      w.onAbort = () => {
        const at = queue.indexOf(w);
        if (at >= 0) queue.splice(at, 1);
        cancelled += 1;
        reject(new ReadCancelledError(op));
      };
      signal?.addEventListener('abort', w.onAbort, { once: true });
      queue.push(w);
    });
  }

  return {
    mode: options.mode,
    run,
    stats: () => ({
      running,
      queued: queue.length,
      ready: options.slots.filter((s) => s.ready()).length,
      rejected,
      cancelled,
    }),
    async warm() {
      if (options.mode === 'inline') return;
      // One per slot: each run takes a free slot of its own (all are free at start).
      await Promise.all(options.slots.map(() => run('warm', [], { internal: true })));
    },
    async close() {
      closed = true;
      for (const w of queue.splice(0)) w.reject(new Error('the collector is shutting down: query dropped'));
      if (running > 0)
        await new Promise<void>((resolve) => {
          idle = resolve;
        });
      await Promise.all(options.slots.map((s) => s.close()));
    },
  };
}

/**
 * Slots on the main thread, for storage no read thread can reopen (':memory:', an injected Storage):
 * the same bound and 503 as threads, but a running query cannot be stopped (its answer is dropped).
 */
export function inlineReadSlots(storage: Storage, count: number): ReadSlot[] {
  return Array.from({ length: count }, () => ({
    exec: (op, args) => ({ result: runReadOp(storage, op, args as never), cancel: () => {} }),
    ready: () => true,
    close: async () => {},
  }));
}
