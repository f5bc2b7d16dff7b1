// Moves WAL checkpoints to a worker thread with its own connection, so copying the WAL into the database (and its fsyncs) never runs on the event loop; it also keeps the WAL under its bound.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { restartThresholdBytes, type WalBound } from './wal-bound.js';

/** Often enough that the WAL stays small and the writer can restart it from the beginning. */
const CHECKPOINT_INTERVAL_MS = 100;
/** SQLite's default, restored on the main connection if the worker is gone. */
const INLINE_AUTOCHECKPOINT_PAGES = 1000;
/** The first TRUNCATE waits this long for readers (and holds writers off meanwhile). */
const FIRST_WAIT_MS = 20;
/** Each busy TRUNCATE doubles the wait, up to this: the longest writer stall one checkpoint causes. */
const MAX_WAIT_MS = 640;

/** Slots of the shared counters: the worker writes them, the owner's thread reads them for metrics. */
export const CHECKPOINT_SLOTS = {
  walBytes: 0, passive: 1, complete: 2, busy: 3, failed: 4, lastHoldMs: 5, maxHoldMs: 6, busyStreak: 7, totalHoldMs: 8,
} as const;
const SLOT_COUNT = 9;

// The worker's whole program, evaluated as CommonJS: it has no file of its own to locate, so it
// runs the same from src/ under vitest and from dist/. Below the restart threshold a PASSIVE
// checkpoint every tick, which never waits for the writer or readers. At or above it (continuous
// writes with overlapping readers starve PASSIVE: the log never gets fully copied at a moment no
// reader uses it, so the writer never restarts it), first a PASSIVE one to copy what it can without
// holding anyone up, then TRUNCATE: it takes the write lock, copies the rest, waits up to `wait` ms
// for readers of older snapshots to finish (new readers read the database file meanwhile) and
// truncates the log to zero bytes. Writers wait while it holds the lock; that is the stall it
// costs, timed here. A busy outcome (a reader outlived the wait) doubles the next wait, up to a
// cap, so a longer reader is waited out at a bounded price; a complete one resets it.
const WORKER_SOURCE = `
const { statSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const S = workerData.slots;
const stats = new Float64Array(workerData.stats);
const db = new Database(workerData.path);
db.pragma('journal_size_limit = ' + workerData.journalSizeLimit);
const walPath = workerData.path + '-wal';
const walBytes = () => { try { return statSync(walPath).size; } catch { return 0; } };
let wait = workerData.firstWaitMs;
const passive = () => { db.pragma('busy_timeout = 0'); db.pragma('wal_checkpoint(PASSIVE)'); stats[S.passive] += 1; };
const truncate = () => {
  passive();
  db.pragma('busy_timeout = ' + wait);
  const started = performance.now();
  const [row] = db.pragma('wal_checkpoint(TRUNCATE)');
  const held = performance.now() - started;
  stats[S.lastHoldMs] = held;
  stats[S.totalHoldMs] += held;
  if (held > stats[S.maxHoldMs]) stats[S.maxHoldMs] = held;
  if (row.busy === 0) { stats[S.complete] += 1; stats[S.busyStreak] = 0; wait = workerData.firstWaitMs; }
  else { stats[S.busy] += 1; stats[S.busyStreak] += 1; wait = Math.min(wait * 2, workerData.maxWaitMs); }
};
const tick = () => {
  try {
    const size = walBytes();
    stats[S.walBytes] = size;
    if (size >= workerData.restartBytes) truncate(); else passive();
    stats[S.walBytes] = walBytes();
  } catch { stats[S.failed] += 1; /* retried next tick */ }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'tick') { tick(); parentPort.postMessage('ticked'); return; }
  clearInterval(timer); db.close(); parentPort.close();
});
`;

/** What the checkpointer has done since it started (cumulative counts; hold times in ms). */
export interface CheckpointStats {
  /** The WAL file's size when last looked at (bytes). */
  walBytes: number;
  passive: number;
  /** TRUNCATE checkpoints that copied everything and truncated the WAL. */
  complete: number;
  /** TRUNCATE checkpoints that gave up because a reader of an older snapshot outlived the wait. */
  busy: number;
  /** Checkpoints that failed outright (I/O errors); retried next tick. */
  failed: number;
  /** How long the last and the longest TRUNCATE held the write lock: writers wait that long at most. */
  lastHoldMs: number;
  maxHoldMs: number;
  totalHoldMs: number;
  /** TRUNCATE checkpoints in a row that came back busy (0 after a complete one). */
  busyStreak: number;
}

export interface Checkpointer {
  stats(): CheckpointStats;
  /** Runs one checkpoint tick now, on the worker; resolves when it is done (tests and tools). */
  tick(): Promise<void>;
  /** Stops the worker and closes its connection; resolves once the thread has exited. */
  stop(): Promise<void>;
}

function readStats(shared: Float64Array): CheckpointStats {
  const out = {} as Record<keyof CheckpointStats, number>;
  for (const [name, slot] of Object.entries(CHECKPOINT_SLOTS)) out[name as keyof CheckpointStats] = shared[slot] ?? 0;
  return out;
}

/**
 * Starts background checkpointing for `db`, which must be a WAL database file. The main
 * connection stops checkpointing by itself; if the worker dies, it takes the job back.
 */
export function startCheckpointer(db: Database.Database, path: string, bound: WalBound): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const buffer = new SharedArrayBuffer(SLOT_COUNT * Float64Array.BYTES_PER_ELEMENT);
  const shared = new Float64Array(buffer);
  const restartBytes = restartThresholdBytes(bound);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver, path, intervalMs: CHECKPOINT_INTERVAL_MS, stats: buffer, slots: CHECKPOINT_SLOTS,
      restartBytes, journalSizeLimit: restartBytes, firstWaitMs: FIRST_WAIT_MS, maxWaitMs: MAX_WAIT_MS,
    },
  });
  // A forgotten close() must not keep the process alive.
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  let dead = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => { dead = true; resolve(); }));
  const takeBack = (): void => {
    if (!stopping && db.open) db.pragma(`wal_autocheckpoint = ${INLINE_AUTOCHECKPOINT_PAGES}`);
  };
  // Listening for 'error' also keeps a failed worker from becoming an uncaught exception.
  worker.on('error', takeBack);
  worker.on('exit', takeBack);
  return {
    stats: () => readStats(shared),
    async tick() {
      if (dead || stopping) return;
      worker.ref();
      try {
        await new Promise<void>((resolve) => {
          const done = (): void => { worker.off('message', done); worker.off('exit', done); resolve(); };
          worker.on('message', done);
          worker.once('exit', done);
          worker.postMessage('tick');
        });
      } finally {
        if (!stopping) worker.unref();
      }
    },
    async stop() {
      stopping = true;
      // Keep the process alive until the thread has really exited, or close() would never resolve.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
