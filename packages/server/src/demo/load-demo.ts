// loadDemo: pushes demo items through the durable inbox and the real inbox worker, as ingest and the collector's worker would.
import type { InboxItem, Storage } from '@touchline/storage';
import { parseServerSettings } from '../server-settings.js';
import { createInboxWorker } from '../workers/inbox-worker.js';

export interface LoadProgress { loaded: number; total: number }

export interface LoadDemoOptions {
  /** Items written to the inbox before the worker drains it. @default 10000 */
  chunkItems?: number;
  onProgress?: (progress: LoadProgress) => void;
  now?: () => number;
}

/** Writes the items to the inbox a chunk at a time (one transaction each), drains after every chunk, and fails if any row was dead-lettered. */
export async function loadDemo(storage: Storage, accountId: string, items: readonly InboxItem[], options: LoadDemoOptions = {}): Promise<void> {
  const now = options.now ?? Date.now;
  const chunk = options.chunkItems ?? 10_000;
  const errors: Error[] = [];
  const worker = createInboxWorker({
    storage, settings: parseServerSettings({ worker: { batchSize: 5000 } }), now,
    metrics: { processed: { inc: () => undefined } },
    onError: (e) => errors.push(e),
  });
  const deadBefore = (await storage.inboxHealth()).dead;
  for (let start = 0; start < items.length; start += chunk) {
    const part = items.slice(start, start + chunk);
    const groups = [];
    for (let i = 0; i < part.length; i += 500) groups.push({ accountId, items: part.slice(i, i + 500) });
    // One transaction a chunk, as ingest's group commit does under load.
    await storage.insertInboxGroups(groups, now());
    await worker.drain();
    if (errors.length > 0) throw errors[0] as Error;
    options.onProgress?.({ loaded: Math.min(items.length, start + chunk), total: items.length });
  }
  const health = await storage.inboxHealth();
  if (health.dead > deadBefore) throw new Error(`demo: ${health.dead - deadBefore} demo item(s) were dead-lettered by the pipeline; the generator made items it should not`);
}
