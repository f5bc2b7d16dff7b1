// loadDemo: pushes demo items through validation, the durable inbox and the real inbox worker, as ingest and the collector's worker would, a chunk at a time.
import type { InboxItem, Storage } from '@touchline/storage';
import { validateItems } from '../ingest/validate-items.js';
import { parseServerSettings } from '../server-settings.js';
import { createInboxWorker } from '../workers/inbox-worker.js';

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
}

/** Accepts demo items as ingest would (validated, stored in the inbox's compact layout); a generator bug fails the load. */
function validated(chunk: readonly InboxItem[], now: number): { items: InboxItem[]; latest: number } {
  const raw = chunk.map((i) => JSON.parse(i.payload) as { timestamp: string });
  const { accepted, errors } = validateItems(raw, { now, maxFutureSkewMs: 60_000, maxPastAgeMs: Number.MAX_SAFE_INTEGER, storeFullIp: false });
  if (errors.length > 0) throw new Error(`demo: the generator made an invalid item: ${errors[0]?.message ?? ''}`);
  let latest = 0;
  for (const item of raw) latest = Math.max(latest, Date.parse(item.timestamp));
  return { items: accepted, latest };
}

/**
 * Writes the items to the inbox a chunk at a time (one transaction each), drains after every chunk,
 * and fails if any row was dead-lettered. Only one chunk is in memory at a time. Each chunk's rows
 * are stamped as received when its latest item happened (never later than now), as a collector
 * receiving the traffic live would have stamped them: the processed inbox rows of old demo days
 * are pruned like a collector's own (`inboxKeepDays`). Returns the number of items loaded.
 */
export async function loadDemo(storage: Storage, accountId: string, items: Iterable<InboxItem>, options: LoadDemoOptions = {}): Promise<number> {
  const now = options.now ?? Date.now;
  const size = options.chunkItems ?? 10_000;
  const errors: Error[] = [];
  const worker = createInboxWorker({
    storage, settings: parseServerSettings({ worker: { batchSize: 5000 } }), now,
    metrics: { processed: { inc: () => undefined } },
    onError: (e) => errors.push(e),
  });
  const deadBefore = (await storage.inboxHealth()).dead;
  let loaded = 0;
  const flush = async (chunk: readonly InboxItem[]): Promise<void> => {
    const at = now();
    const { items: accepted, latest } = validated(chunk, at);
    const groups = [];
    for (let i = 0; i < accepted.length; i += 500) groups.push({ accountId, items: accepted.slice(i, i + 500) });
    // One transaction a chunk, as ingest's group commit does under load.
    await storage.insertInboxGroups(groups, Math.min(at, latest));
    await worker.drain();
    if (errors.length > 0) throw errors[0] as Error;
    loaded += chunk.length;
    options.onProgress?.({ loaded, through: latest });
  };
  let chunk: InboxItem[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length >= size) {
      await flush(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) await flush(chunk);
  const health = await storage.inboxHealth();
  if (health.dead > deadBefore) throw new Error(`demo: ${health.dead - deadBefore} demo item(s) were dead-lettered by the pipeline; the generator made items it should not`);
  return loaded;
}
