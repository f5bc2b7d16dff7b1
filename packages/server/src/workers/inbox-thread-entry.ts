// The inbox worker thread's program: its own SQLite connection and inbox worker, driven by correlated requests.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { err, ok } from '@touchline/core';
import {
  isStorageFault,
  openSqliteStorage,
  type ErasureResult,
  type Storage,
  type StorageFaultCode,
} from '@touchline/storage';
import { cookielessInboxVisitor } from '../cookieless/cookieless-inbox-visitor.js';
import { parseServerSettings } from '../server-settings.js';
import { startInboxPruner, type InboxPruner } from './inbox-pruner.js';
import { startJourneyRefresher, type JourneyRefresher } from './journey-refresher.js';
import { createInboxWorker, type InboxWorker } from './inbox-worker.js';
import { lowerThreadPriority } from './lower-thread-priority.js';
import { createWorkerWriteGate } from './write-gate.js';
import {
  isInboxThreadRequest,
  type ErasureOrder,
  type InboxThreadData,
  type InboxThreadMessage,
  type InboxThreadRequest,
  type InboxThreadStats,
} from './inbox-thread-protocol.js';

/** The worker's two write transactions yield to the collector's ingest writes, and shrink while ingest waits. */
function gated(
  storage: Storage,
  buffer: SharedArrayBuffer | undefined,
): { storage: Storage; ingestWaiting?: () => boolean; gate?: <T>(fn: () => Promise<T>) => Promise<T> } {
  if (buffer === undefined) return { storage };
  const gate = createWorkerWriteGate(buffer);
  return {
    gate: (fn) => gate.run(fn),
    storage: {
      ...storage,
      claimInbox: (options) => gate.run(() => storage.claimInbox(options)),
      applyProcessed: (batch) => gate.run(() => storage.applyProcessed(batch)),
      pruneInbox: (options) => gate.run(() => storage.pruneInbox(options)),
      compactInbox: (options) => gate.run(() => storage.compactInbox(options)),
      refreshJourneys: (options) => gate.run(() => storage.refreshJourneys(options)),
      releaseInbox: (options) => gate.run(() => storage.releaseInbox(options)),
    },
    ingestWaiting: gate.ingestWaiting,
  };
}

/** The thread's inbox worker, and its inbox pruner and journey refresher while started (off the collector's event loop). */
interface ThreadWork {
  worker: InboxWorker;
  startPruner(): void;
  stopPruner(): Promise<void>;
  erase(order: ErasureOrder): Promise<ErasureResult>;
}

interface Performed {
  handled: number;
  erasure?: ErasureResult;
}

async function perform(work: ThreadWork, request: InboxThreadRequest, close: () => Promise<void>): Promise<Performed> {
  const { worker } = work;
  switch (request.op) {
    case 'start':
      worker.start();
      work.startPruner();
      return { handled: 0 };
    case 'stop':
      await work.stopPruner();
      await worker.stop();
      await close();
      return { handled: 0 };
    case 'drain':
      await worker.drain();
      return { handled: 0 };
    case 'runOnce':
      return { handled: await worker.runOnce() };
    case 'stats':
      return { handled: 0 };
    case 'erase':
      // isInboxThreadRequest let 'erase' through only with its order.
      if (request.erasure === undefined) throw new Error('inbox thread: erase without an erasure order');
      return { handled: 0, erasure: await work.erase(request.erasure) };
  }
}

/**
 * An erasure on the thread's connection, each transaction through the write gate like the worker's
 * own. The person's cookieless inbox items are matched here too, in short read windows that let the
 * worker's passes in between, as the CLI does: the hashing stays off the collector's event loop.
 */
function eraseOnThread(
  storage: Storage,
  gate: (<T>(fn: () => Promise<T>) => Promise<T>) | undefined,
  order: ErasureOrder,
): Promise<ErasureResult> {
  return storage.erasePerson({
    ...order,
    eachTransaction: gate,
    async cookielessItems(q) {
      const cookieless = await cookielessInboxVisitor(storage, order.accountId, order.now);
      return cookieless === undefined ? [] : storage.cookielessInboxSeqs(q, cookieless);
    },
  });
}

function faultOf(error: unknown): StorageFaultCode | undefined {
  return isStorageFault(error) ? error.code : undefined;
}

export function runInboxThread(port: MessagePort, data: InboxThreadData): void {
  const { run } = data;
  const post = (message: InboxThreadMessage): void => port.postMessage(message);
  const stats: InboxThreadStats = { done: 0, dead: 0 };
  // The collector's own connection runs the checkpointer; this one only writes, within the same bound.
  const storage = openSqliteStorage({
    path: data.databasePath,
    walLimitBytes: data.walLimitBytes,
    backgroundCheckpoints: false,
  });
  const settings = parseServerSettings({ worker: data.worker, cookieless: data.cookieless });
  const metrics = {
    processed: {
      inc(labels: { outcome: 'done' | 'dead' }, count: number) {
        stats[labels.outcome] += count;
        post({ kind: 'processed', run, outcome: labels.outcome, count });
      },
    },
  };
  const onError = (error: Error): void => post({ kind: 'error', run, message: error.message, fault: faultOf(error) });
  // Background work: on contended CPUs the ingest thread, whose 202s wait, goes first.
  lowerThreadPriority();
  const workStorage = gated(storage, data.writeGate);
  const worker = createInboxWorker({ ...workStorage, settings, metrics, now: Date.now, onError });
  let pruner: InboxPruner | null = null;
  let journeys: JourneyRefresher | null = null;
  const work: ThreadWork = {
    worker,
    startPruner() {
      if (data.journeyRefreshMs !== undefined && journeys === null) {
        journeys = startJourneyRefresher({ storage: workStorage.storage, intervalMs: data.journeyRefreshMs, onError });
      }
      if (data.prune === undefined || pruner !== null) return;
      pruner = startInboxPruner({ storage: workStorage.storage, ...data.prune, now: Date.now, onError });
    },
    async stopPruner() {
      await journeys?.stop();
      journeys = null;
      await pruner?.stop();
      pruner = null;
    },
    erase: (order) => eraseOnThread(storage, workStorage.gate, order),
  };
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await storage.close();
  };
  port.on('message', (message: unknown) => {
    if (!isInboxThreadRequest(message)) {
      onError(new Error(`inbox thread: ignored a message that is not a request: ${JSON.stringify(message)}`));
      return;
    }
    const { id, op } = message;
    perform(work, message, close).then(
      ({ handled, erasure }) => {
        post({ kind: 'reply', run, replyTo: id, op, result: ok({ handled, stats: { ...stats }, erasure }) });
        // After the stop reply the port closes and the thread exits on its own.
        if (op === 'stop') port.close();
      },
      (error: unknown) =>
        post({
          kind: 'reply',
          run,
          replyTo: id,
          op,
          result: err({ message: error instanceof Error ? error.message : String(error), fault: faultOf(error) }),
        }),
    );
  });
}

// Entry point when loaded as a Worker; importing the module elsewhere does nothing.
if (parentPort !== null) runInboxThread(parentPort, workerData as InboxThreadData);
