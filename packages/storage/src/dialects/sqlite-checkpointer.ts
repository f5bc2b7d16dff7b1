// Moves WAL checkpoints to a worker thread with its own connection, so copying the WAL into the database (and its fsyncs) never runs on the event loop.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** Often enough that the WAL stays small and the writer can restart it from the beginning. */
const CHECKPOINT_INTERVAL_MS = 100;
/** SQLite's default, restored on the main connection if the worker is gone. */
const INLINE_AUTOCHECKPOINT_PAGES = 1000;

// The worker's whole program, evaluated as CommonJS: it has no file of its own to locate, so it
// runs the same from src/ under vitest and from dist/. PASSIVE never waits for the writer or
// readers; a busy or failed tick is simply retried on the next one.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* retried next tick */ } };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  /** Stops the worker and closes its connection; resolves once the thread has exited. */
  stop(): Promise<void>;
}

/**
 * Starts background checkpointing for `db`, which must be a WAL database file. The main
 * connection stops checkpointing by itself; if the worker dies, it takes the job back.
 */
export function startCheckpointer(db: Database.Database, path: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, intervalMs: CHECKPOINT_INTERVAL_MS } });
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
    async stop() {
      stopping = true;
      // Keep the process alive until the thread has really exited, or close() would never resolve.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
