// Write priority between ingest (main thread) and the inbox worker thread over one SQLite file: ingest goes first.
//
// Both connections need SQLite's single write lock. Left to SQLite, a writer that finds the lock
// taken sleeps in its busy handler in coarse steps (1, 2, 5, 10 ... 100 ms) and blocks the event
// loop meanwhile, so acknowledged ingest stalled behind long worker passes (and, under load,
// failed with "database is locked"). The gate is a pair of shared counters: ingest announces that
// it wants to write and waits (asynchronously, the event loop keeps parsing) until the worker's
// current transaction ends; the worker starts a transaction only while nobody wants to ingest
// (or once it has waited a few milliseconds, so that it is never starved).
// It is only scheduling: SQLite's own locking still guarantees correctness if the gate is bypassed.

/** Slot 0: how many ingest writes are waiting or running. Slot 1: 1 while the worker is in a transaction. */
const WANT = 0;
const HELD = 1;

/**
 * The worker never waits longer than this for ingest, so a flood of ingest cannot stop processing.
 * Measured under saturating batched ingest (items/s acknowledged / processed meanwhile):
 * 1 ms 89k / 11k, 3 ms 101k / 7k, 10 ms 104k / 3.6k, 50 ms 107k / 1.1k. A worker transaction is
 * 100 rows (a few ms), so with 3 ms the two writers roughly take turns when both are busy.
 */
const DEFAULT_MAX_WORKER_WAIT_MS = 3;
/** Ingest stops waiting for the worker after this and leaves the rest to SQLite's busy_timeout (a dead thread cannot block ingest). */
const MAX_INGEST_WAIT_MS = 2000;

export function createWriteGateBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

/** After the worker thread died (possibly inside a transaction): nothing holds the gate any more. */
export function releaseWorkerHold(buffer: SharedArrayBuffer): void {
  const state = new Int32Array(buffer);
  Atomics.store(state, HELD, 0);
  Atomics.notify(state, HELD);
}

/** The ingest side: `write` runs `fn` once the worker is out of its transaction. */
export interface IngestWriteGate {
  write<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Says a write is coming (an ingest request has arrived): the worker starts no new transaction
   * until the returned release is called (or its maximum wait passes), so by the time the request's
   * items are validated the lock is usually free. Release is idempotent.
   */
  announce(): () => void;
}

/** The worker side: `run` runs `fn` (one transaction) when no ingest write is waiting. */
export interface WorkerWriteGate {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** True while an ingest request has announced itself or is writing: the worker keeps its transactions short. */
  ingestWaiting(): boolean;
}

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

export function createIngestWriteGate(buffer: SharedArrayBuffer): IngestWriteGate {
  const state = new Int32Array(buffer);
  const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
  // The worker waits only for WANT to reach 0 (enter() re-checks it after every wake), so only the
  // last withdrawal wakes it. Before, every withdrawal (two per request) woke a waiting worker thread
  // (a futex wake and a context switch) just to see WANT still above 0 and sleep again.
  const withdraw = (): void => {
    if (Atomics.sub(state, WANT, 1) === 1) Atomics.notify(state, WANT);
  };
  return {
    announce() {
      Atomics.add(state, WANT, 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        withdraw();
      };
    },
    async write(fn) {
      Atomics.add(state, WANT, 1);
      try {
        const deadline = Date.now() + MAX_INGEST_WAIT_MS;
        while (Atomics.load(state, HELD) === 1 && Date.now() < deadline) {
          const waited = waitAsync(state, HELD, 1, deadline - Date.now());
          if (waited.async) await waited.value;
        }
        return await fn();
      } finally {
        withdraw();
      }
    },
  };
}

export function createWorkerWriteGate(
  buffer: SharedArrayBuffer,
  maxWaitMs: number = DEFAULT_MAX_WORKER_WAIT_MS,
): WorkerWriteGate {
  const state = new Int32Array(buffer);
  /** Takes HELD unless ingest wants to write; then steps back, waits for it, and tries again. */
  function enter(): void {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      Atomics.store(state, HELD, 1);
      const want = Atomics.load(state, WANT);
      if (want === 0) return;
      const left = deadline - Date.now();
      if (left <= 0) return; // give up waiting: SQLite's lock still serializes the two writers
      Atomics.store(state, HELD, 0);
      Atomics.notify(state, HELD);
      Atomics.wait(state, WANT, want, left);
    }
  }
  return {
    ingestWaiting: () => Atomics.load(state, WANT) > 0,
    async run(fn) {
      enter();
      try {
        return await fn();
      } finally {
        Atomics.store(state, HELD, 0);
        Atomics.notify(state, HELD);
      }
    },
  };
}
