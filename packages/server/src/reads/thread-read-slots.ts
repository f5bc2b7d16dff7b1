// Read slots on worker threads: each owns a thread with its own connection; cancelling a query terminates its thread.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { StorageError, type StorageErrorCode, type StorageTarget } from '@touchline/storage';
import type { ReadSlot } from './read-pool.js';
import type { ReadThreadData, ReadThreadFailure, ReadThreadReply, ReadThreadRequest } from './read-thread-protocol.js';

/**
 * The compiled thread program: beside this module in dist/; under vitest (src/) the built dist/
 * twin. Null if neither exists (then queries run inline).
 */
export function resolveReadThreadEntry(base: string = import.meta.url): URL | null {
  const beside = new URL('./read-thread-entry.js', base);
  if (existsSync(beside)) return beside;
  const built = new URL('../../dist/reads/read-thread-entry.js', base);
  return existsSync(built) ? built : null;
}

const STORAGE_CODES: ReadonlySet<string> = new Set<StorageErrorCode>([
  'invalid_url',
  'dialect_unavailable',
  'open_failed',
  'migration_failed',
  'busy',
  'unavailable',
  'query_failed',
]);

/**
 * The thread's error on this side: a storage error is a StorageError again (its code intact), so a
 * `busy` or `unavailable` read answers 503 + Retry-After as the same read run inline does, not 500.
 */
function threadError(error: ReadThreadFailure): Error {
  if (error.name === 'StorageError' && error.code !== undefined && STORAGE_CODES.has(error.code))
    return new StorageError(error.code as StorageErrorCode, error.message);
  return Object.assign(new Error(error.message), {
    name: error.name,
    ...(error.code === undefined ? {} : { code: error.code }),
  });
}

/**
 * One read slot: a thread started on first use (the collector's start warms every slot, so that is
 * not a user's query) and again after it was terminated (a cancelled query) or died. A thread runs
 * one query at a time, so at most one answer is ever pending.
 */
function threadSlot(entry: URL, target: StorageTarget, nice: number, onError: (e: Error) => void): ReadSlot {
  let thread: Worker | null = null;
  // The thread that has answered once: its modules are loaded and its connection open.
  let answered: Worker | null = null;
  let nextId = 1;
  let pending: { id: number; resolve(v: unknown): void; reject(e: Error): void } | null = null;

  function spawn(): Worker {
    const data: ReadThreadData = { target, nice };
    const worker = new Worker(entry, { workerData: data });
    worker.unref();
    worker.on('message', (message: ReadThreadReply) => {
      answered = worker;
      if (pending === null || message.id !== pending.id) return;
      const p = pending;
      pending = null;
      if (message.result.kind === 'ok') p.resolve(message.result.value);
      else p.reject(threadError(message.result.error));
    });
    worker.on('error', (error) => onError(new Error(`read thread failed: ${error.message}`)));
    worker.once('exit', (code) => {
      if (thread === worker) thread = null;
      const p = pending;
      pending = null;
      p?.reject(new Error(`read thread exited (code ${code}) during the query`));
    });
    return worker;
  }

  return {
    exec(op, args) {
      thread ??= spawn();
      const worker = thread;
      const id = nextId++;
      const result = new Promise<unknown>((resolve, reject) => {
        pending = { id, resolve, reject };
      });
      worker.postMessage({ kind: 'run', id, op, args } satisfies ReadThreadRequest);
      return {
        result,
        // The only way to stop JavaScript (journeys, models) or a query step in another thread: end the thread.
        cancel: () => {
          if (thread === worker) {
            thread = null;
            void worker.terminate();
          }
        },
      };
    },
    ready: () => thread !== null && answered === thread,
    async close() {
      const worker = thread;
      thread = null;
      if (worker === null) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.ref();
      worker.postMessage({ kind: 'close' } satisfies ReadThreadRequest);
      await exited;
    },
  };
}

export function threadReadSlots(options: {
  entry: URL;
  target: StorageTarget;
  count: number;
  nice?: number;
  onError: (e: Error) => void;
}): ReadSlot[] {
  return Array.from({ length: options.count }, () =>
    threadSlot(options.entry, options.target, options.nice ?? 0, options.onError),
  );
}
