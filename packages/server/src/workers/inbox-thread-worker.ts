// The inbox worker run in a worker thread with its own SQLite connection, falling back to inline if the thread dies.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ErasureResult } from '@touchline/storage';
import type { ServerSettings } from '../server-settings.js';
import type { InboxWorker, ProcessedCounter } from './inbox-worker.js';
import { createInboxThreadChannel, threadError, type InboxThreadChannel } from './inbox-thread-channel.js';
import type {
  ErasureOrder,
  InboxThreadAnswer,
  InboxThreadData,
  InboxThreadEvent,
  InboxThreadOp,
  InboxThreadStats,
} from './inbox-thread-protocol.js';
import { releaseWorkerHold } from './write-gate.js';

export interface ThreadInboxWorker extends InboxWorker {
  /** Where passes run now: 'thread', or 'inline' after the thread failed. */
  mode(): 'thread' | 'inline';
  /** The live thread, if any (tests use it to simulate a crash). */
  thread(): Worker | null;
  /** The thread's counts of finished rows; null when no thread is running. */
  stats(): Promise<InboxThreadStats | null>;
  /**
   * Runs the erasure on the thread's connection (started for it if the worker is not running), or
   * answers null when there is no thread to run it (it failed, or is stopping): the caller runs it
   * inline. A thread that dies during the erasure rejects; erasure is idempotent, the client retries.
   */
  erase(order: ErasureOrder): Promise<ErasureResult | null>;
}

/**
 * The compiled thread program. Beside this module in dist/; under vitest this module runs from
 * src/, where a Worker cannot load the .ts twin, so the built dist/ file is used. Null if neither exists.
 */
export function resolveInboxThreadEntry(base: string = import.meta.url): URL | null {
  const beside = new URL('./inbox-thread-entry.js', base);
  if (existsSync(beside)) return beside;
  const built = new URL('../../dist/workers/inbox-thread-entry.js', base);
  return existsSync(built) ? built : null;
}

/**
 * Runs the inbox worker on a thread over `databasePath`. If the thread dies unexpectedly the
 * error goes to `onError` and `fallback` (an inline worker on the main connection) takes over:
 * processing never silently stops; rows the thread had leased are reclaimed when the lease ends.
 */
export function createThreadInboxWorker(deps: {
  entry: URL;
  databasePath: string;
  settings: ServerSettings;
  metrics: ProcessedCounter;
  fallback: InboxWorker;
  onError: (error: Error) => void;
  /** Shared with ingest (see write-gate.ts). */
  writeGate?: SharedArrayBuffer;
}): ThreadInboxWorker {
  const { metrics, fallback, onError } = deps;
  let thread: Worker | null = null;
  let channel: InboxThreadChannel | null = null;
  let running = false;
  let failed = false;
  let stopping = false;
  let exited: Promise<void> = Promise.resolve();

  function onEvent(event: InboxThreadEvent): void {
    if (event.kind === 'processed') metrics.processed.inc({ outcome: event.outcome }, event.count);
    else onError(threadError(`inbox thread: ${event.message}`, event.fault));
  }

  function fail(error: Error): void {
    if (deps.writeGate) releaseWorkerHold(deps.writeGate);
    channel?.rejectAll(error.message);
    if (failed || stopping) return;
    failed = true;
    thread = null;
    channel = null;
    onError(new Error(`inbox worker thread failed, processing continues on the main thread: ${error.message}`));
    if (running) fallback.start();
  }

  function spawn(): Worker {
    const run = randomUUID();
    const { inboxKeepDays, inboxPayloadKeepDays, maintenanceIntervalMs, journeyRefreshMs } = deps.settings;
    const data: InboxThreadData = {
      run,
      databasePath: deps.databasePath,
      worker: deps.settings.worker,
      cookieless: deps.settings.cookieless,
      walLimitBytes: deps.settings.disk.walLimitBytes,
      writeGate: deps.writeGate,
      prune:
        inboxKeepDays === null && inboxPayloadKeepDays === null
          ? undefined
          : { keepDays: inboxKeepDays, compactDays: inboxPayloadKeepDays, intervalMs: maintenanceIntervalMs },
      journeyRefreshMs,
    };
    const worker = new Worker(deps.entry, { workerData: data });
    channel = createInboxThreadChannel({ thread: worker, run, onEvent, onError });
    worker.on('error', (error) => fail(error));
    exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        fail(new Error(`thread exited with code ${code}`));
        resolve();
      }),
    );
    return worker;
  }

  function request(op: InboxThreadOp, erasure?: ErasureOrder): Promise<InboxThreadAnswer> {
    if (channel === null) return Promise.reject(new Error(`inbox thread is not running (${op})`));
    return channel.request(op, erasure);
  }

  /** Asks the thread, or the fallback if the thread is gone or dies before answering. */
  async function viaThread(op: 'drain' | 'runOnce'): Promise<number> {
    if (!failed && thread !== null) {
      try {
        return (await request(op)).handled;
      } catch (error) {
        if (!failed) throw error;
      }
    }
    return op === 'drain' ? fallback.drain().then(() => 0) : fallback.runOnce();
  }

  return {
    start() {
      if (running) return;
      running = true;
      if (failed) {
        fallback.start();
        return;
      }
      stopping = false;
      thread ??= spawn();
      request('start').catch((error: unknown) => {
        if (!failed) onError(error instanceof Error ? error : new Error(String(error)));
      });
    },
    async stop() {
      running = false;
      const target = thread;
      if (failed || target === null) {
        await fallback.stop();
        return;
      }
      // From here an exit is expected: it ends the thread, not processing.
      stopping = true;
      try {
        await request('stop');
      } catch (error) {
        onError(error instanceof Error ? error : new Error(String(error)));
      }
      target.ref();
      await exited;
      thread = null;
      channel = null;
      await fallback.stop();
    },
    async runOnce() {
      if (thread === null && !failed) return fallback.runOnce();
      return viaThread('runOnce');
    },
    async drain() {
      if (thread === null && !failed) {
        await fallback.drain();
        return;
      }
      await viaThread('drain');
    },
    mode: () => (failed ? 'inline' : 'thread'),
    thread: () => thread,
    async stats() {
      if (failed || thread === null) return null;
      return (await request('stats')).stats;
    },
    async erase(order) {
      if (failed || (stopping && thread !== null)) return null;
      // The thread is the SQLite writer besides ingest even while the worker is stopped or disabled.
      thread ??= spawn();
      const answer = await request('erase', order);
      if (answer.erasure === undefined) throw new Error('inbox thread answered erase without its result');
      return answer.erasure;
    },
  };
}
