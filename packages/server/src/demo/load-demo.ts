// loadDemo: pushes demo items through validation, the durable inbox and the real inbox worker, as ingest and the collector's worker would, a chunk at a time.
import { isStorageBusy, type InboxItem, type Storage } from '@touchline/storage';
import { validateItems } from '../ingest/validate-items.js';
import { parseServerSettings } from '../server-settings.js';
import { createInboxWorker, type InboxWorker } from '../workers/inbox-worker.js';
import { createThreadInboxWorker, resolveInboxThreadEntry } from '../workers/inbox-thread-worker.js';
import { createIngestWriteGate, createWriteGateBuffer, type IngestWriteGate } from '../workers/write-gate.js';

export interface LoadProgress {
  /** Items loaded so far. */
  loaded: number;
  /** When the latest of them happened (epoch ms): with the data's time span, how far the load is. */
  through: number;
}

export interface LoadDemoOptions {
  /** Items written to the inbox before the worker drains it. @default 10000 */
  chunkItems?: number;
  onProgress?: (progress: LoadProgress) => void;
  now?: () => number;
  /**
   * The SQLite file `storage` was opened from: the pipeline then runs on a worker thread with its own
   * connection while this thread makes and inserts the next chunks (at most `aheadChunks` waiting).
   * Without it the worker runs inline and drains after every chunk.
   */
  databasePath?: string;
  /** @default 3 */
  aheadChunks?: number;
  /** The WAL bound `storage` was opened with, for the thread's connection to enforce too. @default 64 MiB */
  walLimitBytes?: number;
}

// No pruning while loading: the collector prunes demo rows like its own once it runs.
const demoSettings = (walLimitBytes: number | undefined) =>
  parseServerSettings({
    worker: { batchSize: 5000 },
    inboxKeepDays: null,
    inboxPayloadKeepDays: null,
    disk: { walLimitBytes },
  });

/** The pipeline on a thread when a file path (and the real clock) allow it, else inline. */
function demoWorker(
  storage: Storage,
  options: LoadDemoOptions,
  onError: (e: Error) => void,
): { worker: InboxWorker; gate: IngestWriteGate | null } {
  const now = options.now ?? Date.now;
  const settings = demoSettings(options.walLimitBytes);
  const metrics = { processed: { inc: () => undefined } };
  const inline = createInboxWorker({ storage, settings, now, metrics, onError });
  const entry = resolveInboxThreadEntry();
  if (options.databasePath === undefined || options.now !== undefined || entry === null)
    return { worker: inline, gate: null };
  // The inserts and the thread's transactions take turns through the write gate, as ingest and the
  // collector's worker thread do, instead of sleeping in SQLite's busy handler.
  const writeGate = createWriteGateBuffer();
  const worker = createThreadInboxWorker({
    entry,
    databasePath: options.databasePath,
    settings,
    metrics,
    fallback: inline,
    onError,
    writeGate,
  });
  return { worker, gate: createIngestWriteGate(writeGate) };
}

/** How long the load waits out a busy database (no write getting through) before it gives up. */
const BUSY_PATIENCE_MS = 120_000;

/**
 * Runs `write` until it gets through a busy database: the WAL at its bound refuses writes until the
 * checkpointer has truncated it (wal-bound.ts), which on a loaded machine can take seconds. A
 * collector's SDK clients wait and retry on the 503 the same refusal makes; the demo waits the same
 * way (backing off from 50 ms to 1 s), for at most BUSY_PATIENCE_MS in a row.
 */
async function whenNotBusy<T>(write: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let waitMs = 50; ; waitMs = Math.min(waitMs * 2, 1000)) {
    try {
      return await write();
    } catch (error) {
      if (!isStorageBusy(error) || Date.now() - started > BUSY_PATIENCE_MS) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

/** Accepts demo items as ingest would (validated, stored in the inbox's compact layout); a generator bug fails the load. */
function validated(chunk: readonly InboxItem[], now: number): { items: InboxItem[]; latest: number } {
  const raw = chunk.map((i) => JSON.parse(i.payload) as { timestamp: string });
  const { accepted, errors } = validateItems(raw, {
    now,
    maxFutureSkewMs: 60_000,
    maxPastAgeMs: Number.MAX_SAFE_INTEGER,
    storeFullIp: false,
    clockToleranceMs: 0,
    maxClockCorrectionMs: 0,
  });
  if (errors.length > 0) throw new Error(`demo: the generator made an invalid item: ${errors[0]?.message ?? ''}`);
  let latest = 0;
  for (const item of raw) latest = Math.max(latest, Date.parse(item.timestamp));
  return { items: accepted, latest };
}

/**
 * Writes the items to the inbox a chunk at a time (one transaction each), lets the pipeline work
 * them off (see `databasePath`), and fails if any row was dead-lettered. Only a few chunks are in
 * memory or waiting in the inbox at a time. Each chunk's rows
 * are stamped as received when its latest item happened (never later than now), as a collector
 * receiving the traffic live would have stamped them: the processed inbox rows of old demo days
 * are pruned like a collector's own (`inboxKeepDays`). Returns the number of items loaded.
 */
export async function loadDemo(
  storage: Storage,
  accountId: string,
  items: Iterable<InboxItem>,
  options: LoadDemoOptions = {},
): Promise<number> {
  const now = options.now ?? Date.now;
  const size = options.chunkItems ?? 10_000;
  const errors: Error[] = [];
  // The worker's loop backs off and retries a busy database by itself: only other errors fail the load.
  const { worker, gate } = demoWorker(storage, options, (e) => {
    if (!isStorageBusy(e)) errors.push(e);
  });
  const threaded = gate !== null;
  const deadBefore = (await storage.inboxHealth()).dead;
  let loaded = 0;
  // Threaded, the worker works through the backlog while this thread makes more, up to a bound.
  const waitForWorker = async (): Promise<void> => {
    if (!threaded) {
      await whenNotBusy(() => worker.drain());
      return;
    }
    while ((await storage.inboxHealth()).pending > size * (options.aheadChunks ?? 3) && errors.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const flush = async (chunk: readonly InboxItem[]): Promise<void> => {
    const at = now();
    const { items: accepted, latest } = validated(chunk, at);
    const groups: Array<{ accountId: string; items: InboxItem[] }> = [];
    for (let i = 0; i < accepted.length; i += 500) groups.push({ accountId, items: accepted.slice(i, i + 500) });
    // One transaction a chunk, as ingest's group commit does under load.
    const insert = () => storage.insertInboxGroups(groups, Math.min(at, latest));
    await whenNotBusy(() => (gate === null ? insert() : gate.write(insert)));
    await waitForWorker();
    if (errors.length > 0) throw errors[0] as Error;
    loaded += chunk.length;
    options.onProgress?.({ loaded, through: latest });
  };
  if (threaded) worker.start();
  // The gate waits with Atomics.waitAsync and the thread is unref'd: neither keeps the process alive.
  const alive = threaded ? setInterval(() => undefined, 1000) : null;
  try {
    let chunk: InboxItem[] = [];
    for (const item of items) {
      chunk.push(item);
      if (chunk.length >= size) {
        await flush(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) await flush(chunk);
    await whenNotBusy(() => worker.drain());
  } finally {
    await worker.stop();
    if (alive !== null) clearInterval(alive);
  }
  if (errors.length > 0) throw errors[0] as Error;
  const health = await storage.inboxHealth();
  if (health.dead > deadBefore)
    throw new Error(
      `demo: ${health.dead - deadBefore} demo item(s) were dead-lettered by the pipeline; the generator made items it should not`,
    );
  return loaded;
}
