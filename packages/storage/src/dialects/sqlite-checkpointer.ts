// Moves WAL checkpoints to a worker thread with its own connection, so copying the WAL into the database (and its fsyncs) never runs on the event loop; restarts the log so it stays under its bound.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { journalSizeLimitBytes, refuseThresholdBytes, restartThresholdBytes, type WalBound } from './wal-bound.js';

/** Often enough that the WAL stays small and the writer can restart it from the beginning. */
const CHECKPOINT_INTERVAL_MS = 100;
/** SQLite's default, restored on the main connection if the worker is gone. */
const INLINE_AUTOCHECKPOINT_PAGES = 1000;
/** The first RESTART waits this long for readers (and holds writers off meanwhile). */
const FIRST_WAIT_MS = 20;
/** Each busy RESTART doubles the wait, up to this: the longest writer stall one checkpoint causes. */
const MAX_WAIT_MS = 640;

/** Slots of the shared counters: the worker writes them, the owner's thread reads them for metrics. */
export const CHECKPOINT_SLOTS = {
  walBytes: 0,
  passive: 1,
  complete: 2,
  busy: 3,
  failed: 4,
  lastHoldMs: 5,
  maxHoldMs: 6,
  busyStreak: 7,
  totalHoldMs: 8,
} as const;
const SLOT_COUNT = 9;

// The worker's whole program, evaluated as CommonJS: it has no file of its own to locate, so it
// runs the same from src/ under vitest and from dist/. Every tick a PASSIVE checkpoint, which never
// waits for the writer or readers. Under continuous writes with overlapping readers PASSIVE alone
// starves: the log is never fully copied at a moment no reader uses it, so the writer never restarts
// it and it grows with every page written. So when the live log has reached the restart threshold,
// a RESTART checkpoint follows: it takes the write lock, copies the rest (little, after the
// PASSIVE one), and waits up to `wait` ms for readers of older snapshots to finish (new readers
// read the database file meanwhile); the next write then starts the log from its beginning, and
// journal_size_limit cuts the file back. Writers wait while it holds the lock: that is the stall it
// costs, timed here (the time includes waiting for the lock, so it is an upper bound). A busy
// outcome (a reader outlived the wait) doubles the next wait, up to a cap, so a longer reader is
// waited out at a bounded price; a complete one resets it. TRUNCATE, which also cuts the file to zero
// bytes, only when the file has reached the point where writes are refused (a long reader pinned
// it): every time, the file would have to grow again from nothing, which was slower in the soak bench.
const WORKER_SOURCE = `
const { statSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const S = workerData.slots;
const stats = new Float64Array(workerData.stats);
const db = new Database(workerData.path);
db.pragma('journal_size_limit = ' + workerData.journalSizeLimit);
const frameBytes = db.pragma('page_size', { simple: true }) + 24;
const walPath = workerData.path + '-wal';
const walBytes = () => { try { return statSync(walPath).size; } catch { return 0; } };
let wait = workerData.firstWaitMs;
// Returns the live log's size in bytes (frames since the last restart), which the file's size is not:
// a restarted log reuses the file from its beginning.
const passive = () => {
  db.pragma('busy_timeout = 0');
  const [row] = db.pragma('wal_checkpoint(PASSIVE)');
  stats[S.passive] += 1;
  return Math.max(0, row.log) * frameBytes;
};
const restart = (mode) => {
  db.pragma('busy_timeout = ' + wait);
  const started = performance.now();
  const [row] = db.pragma('wal_checkpoint(' + mode + ')');
  const held = performance.now() - started;
  stats[S.lastHoldMs] = held;
  stats[S.totalHoldMs] += held;
  if (held > stats[S.maxHoldMs]) stats[S.maxHoldMs] = held;
  if (row.busy === 0) { stats[S.complete] += 1; stats[S.busyStreak] = 0; wait = workerData.firstWaitMs; }
  else { stats[S.busy] += 1; stats[S.busyStreak] += 1; wait = Math.min(wait * 2, workerData.maxWaitMs); }
};
const tick = () => {
  try {
    const live = passive();
    // Writes are refused while the file is this large, and a restarted log only shrinks the file
    // on its first commit: so truncate it here instead.
    if (walBytes() >= workerData.refuseBytes) restart('TRUNCATE');
    else if (live >= workerData.restartBytes) restart('RESTART');
    stats[S.walBytes] = walBytes();
  } catch { stats[S.failed] += 1; /* retried next tick */ }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** What the checkpointer has done since it started (cumulative counts; hold times in ms). */
export interface CheckpointStats {
  /** The WAL file's size when last looked at (bytes). */
  walBytes: number;
  passive: number;
  /** RESTART checkpoints that copied everything and left the log to start again from its beginning. */
  complete: number;
  /** RESTART checkpoints that gave up because a reader of an older snapshot outlived the wait. */
  busy: number;
  /** Checkpoints that failed outright (I/O errors); retried next tick. */
  failed: number;
  /** How long the last and the longest RESTART took (lock wait included): writers waited that long at most. */
  lastHoldMs: number;
  maxHoldMs: number;
  totalHoldMs: number;
  /** RESTART checkpoints in a row that came back busy (0 after a complete one). */
  busyStreak: number;
}

export interface Checkpointer {
  stats(): CheckpointStats;
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
      driver,
      path,
      intervalMs: CHECKPOINT_INTERVAL_MS,
      stats: buffer,
      slots: CHECKPOINT_SLOTS,
      restartBytes,
      refuseBytes: refuseThresholdBytes(bound),
      journalSizeLimit: journalSizeLimitBytes(bound),
      firstWaitMs: FIRST_WAIT_MS,
      maxWaitMs: MAX_WAIT_MS,
    },
  });
  // A forgotten close() must not keep the process alive.
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const takeBack = (): void => {
    if (!stopping && db.open) db.pragma(`wal_autocheckpoint = ${INLINE_AUTOCHECKPOINT_PAGES}`);
  };
  // Listening for 'error' also keeps a failed worker from becoming an uncaught exception.
  worker.on('error', takeBack);
  worker.on('exit', takeBack);
  return {
    stats: () => readStats(shared),
    async stop() {
      stopping = true;
      // Keep the process alive until the thread has really exited, or close() would never resolve.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
