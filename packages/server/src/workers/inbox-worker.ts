// The inbox worker: claims rows, processes them, and writes results plus inbox outcome in one transaction.
import { isStorageBusy, isStorageFault, type InboxRow, type ProcessedBatch, type Storage } from '@touchline/storage';
import { applyPass } from '../pipeline/apply-pass.js';
import type { ServerSettings } from '../server-settings.js';

export interface InboxWorker {
  start(): void;
  /** Stops claiming; resolves when the pass in progress has finished. */
  stop(): Promise<void>;
  /** One claim-process-apply pass; returns the number of rows handled. */
  runOnce(): Promise<number>;
  /** Runs passes until the inbox has nothing claimable and the background loop's pass (if any) has finished. */
  drain(): Promise<void>;
}

/** Where a worker counts the rows it finished: the collector's Prometheus counter, or a thread's reporter. */
export interface ProcessedCounter {
  processed: { inc(labels: { outcome: 'done' | 'dead' }, value: number): void };
}

/**
 * Rows per write transaction. A pass handles up to settings.worker.batchSize rows, claimed and
 * applied in slices of this many, each slice's results and inbox outcome committed together:
 * SQLite has one write lock, and ingest (whose 202 waits for its insert) must never wait long
 * behind a worker transaction. 100-row transactions cost the worker ~10% more per row than 500-row
 * ones (bench/storage-sqlite.mjs) and keep each under a few milliseconds.
 */
const SLICE_ROWS = 100;
/**
 * The slice while ingest is waiting for the write lock (see write-gate.ts): each 202 waits for its
 * commit, so a worker transaction held while ingest is busy stalls every connection in flight. A
 * 100-row slice held the lock ~3 ms; 20 rows hold it well under a millisecond, at a higher cost
 * per row, and the backlog is worked off in full slices once ingest is quiet.
 */
export const PRESSURED_SLICE_ROWS = 20;
/** Longest wait between passes while storage keeps failing (the wait doubles from settings.worker.idleMs). */
export const MAX_FAULT_BACKOFF_MS = 5000;

/** The wait before the next pass after `failures` failed passes in a row: idleMs, doubling, capped. */
export function faultBackoffMs(idleMs: number, failures: number): number {
  return Math.min(MAX_FAULT_BACKOFF_MS, idleMs * 2 ** Math.min(failures, 20));
}

function emptyBatch(): ProcessedBatch {
  return { visitors: [], sessions: [], events: [], conversions: [], identities: [], aliases: [], done: [], dead: [] };
}

export function createInboxWorker(deps: {
  storage: Storage;
  settings: ServerSettings;
  metrics: ProcessedCounter;
  now: () => number;
  onError: (error: Error) => void;
  /** Whether ingest is waiting to write right now (the write gate); slices shrink meanwhile. */
  ingestWaiting?: () => boolean;
}): InboxWorker {
  const { storage, settings, metrics, now } = deps;
  const cfg = settings.worker;
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  /** The background loop's pass in progress: its rows are leased, so drain() must wait for it, not skip them. */
  let inflight: Promise<number> | null = null;

  /** Dead-letters rows that are still pending (the rest keep the outcome another worker gave them). */
  async function applyDead(dead: ProcessedBatch['dead']): Promise<void> {
    const outcome = await storage.applyProcessed({ ...emptyBatch(), dead });
    if (outcome.kind === 'partial') {
      const pending = new Set(outcome.pending);
      await applyDead(dead.filter((d) => pending.has(d.seq)));
    }
  }

  /**
   * A write that fails is retried in halves, so one poison row is dead-lettered and never blocks the
   * rest. A storage fault (`busy`: lock contention; `unavailable`: disk full, I/O error, PostgreSQL
   * unreachable) says nothing about the rows: it ends the pass instead (see runSlice).
   */
  async function applyIsolated(rows: InboxRow[]): Promise<number> {
    try {
      return await applyPass(storage, rows, undefined, now(), settings.cookieless);
    } catch (error) {
      if (isStorageFault(error)) throw error;
      if (rows.length === 1) {
        const message = error instanceof Error ? error.message : String(error);
        await applyDead([{ seq: (rows[0] as InboxRow).seq, error: `write failed: ${message}` }]);
        metrics.processed.inc({ outcome: 'dead' }, 1);
        return 0;
      }
      const mid = Math.floor(rows.length / 2);
      return (await applyIsolated(rows.slice(0, mid))) + (await applyIsolated(rows.slice(mid)));
    }
  }

  /** Claims and finishes one slice; returns how many rows it claimed. */
  async function runSlice(limit: number): Promise<number> {
    const leasedUntil = now() + cfg.leaseMs;
    const rows = await storage.claimInbox({ limit, leaseMs: cfg.leaseMs, now: leasedUntil - cfg.leaseMs });
    if (rows.length === 0) return 0;
    try {
      return await finishSlice(rows);
    } catch (error) {
      // The rows are fine, the storage is not: give them back without counting this attempt, so a
      // long outage never turns into "gave up after N attempts". If that write fails too, the lease runs out.
      if (isStorageFault(error))
        await storage.releaseInbox({ seqs: rows.map((r) => r.seq), leasedUntil }).catch(() => {});
      throw error;
    }
  }

  async function finishSlice(rows: InboxRow[]): Promise<number> {
    const exhausted = rows.filter((r) => r.attempts > cfg.maxAttempts);
    const fresh = rows.filter((r) => r.attempts <= cfg.maxAttempts);
    if (exhausted.length > 0) {
      await applyDead(exhausted.map((r) => ({ seq: r.seq, error: `gave up after ${r.attempts - 1} attempts` })));
      metrics.processed.inc({ outcome: 'dead' }, exhausted.length);
    }
    if (fresh.length > 0) {
      metrics.processed.inc({ outcome: 'done' }, await applyIsolated(fresh));
    }
    return rows.length;
  }

  /** Rows the current pass has finished so far (a pass that fails midway has still made this much progress). */
  let passProgress = 0;

  async function runOnce(): Promise<number> {
    let handled = 0;
    passProgress = 0;
    while (handled < cfg.batchSize) {
      const slice = deps.ingestWaiting?.() === true ? PRESSURED_SLICE_ROWS : SLICE_ROWS;
      const limit = Math.min(slice, cfg.batchSize - handled);
      const claimed = await runSlice(limit);
      handled += claimed;
      passProgress = handled;
      if (claimed < limit) break;
    }
    return handled;
  }

  async function run(): Promise<void> {
    // Failed passes in a row (a fault is reported once per run of them), and those among them that
    // finished no row at all: only those lengthen the wait. A pass that gets through some slices
    // before the WAL bound refuses the next one shows the database is moving, not stuck.
    let failures = 0;
    let stalled = 0;
    while (running) {
      let handled = 0;
      try {
        inflight = runOnce();
        handled = await inflight;
        failures = 0;
        stalled = 0;
      } catch (error) {
        failures += 1;
        stalled = passProgress > 0 ? 0 : stalled + 1;
        // A busy database (a lock, the WAL at its bound while a reader pins it) is reported once per
        // run of failures, not on every backed-off retry; any other error every time.
        if (failures === 1 || !isStorageBusy(error))
          deps.onError(error instanceof Error ? error : new Error(String(error)));
      } finally {
        inflight = null;
      }
      if ((handled < cfg.batchSize || failures > 0) && running) {
        // After a pass that failed without progress the wait doubles (storage down: no tight retry loop against it).
        const waitMs = stalled > 0 ? faultBackoffMs(cfg.idleMs, stalled) : cfg.idleMs;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = null;
    },
    runOnce,
    async drain() {
      // On PostgreSQL the loop's pass runs concurrently with ours (SKIP LOCKED hides its rows from
      // us), so "nothing claimable" alone does not mean "everything applied".
      for (;;) {
        const mine = await runOnce();
        const theirs = inflight === null ? 0 : await inflight.catch(() => 1);
        if (mine === 0 && theirs === 0) return;
      }
    },
  };
}
