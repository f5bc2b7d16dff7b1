// Bench helper: what a running collector's background work would have done by now on a demo database (inbox pruning and payload compaction at the collector's defaults, the journey refresher caught up), so a bench times a collector in its steady state.
import { openStorage } from '../packages/storage/dist/index.js';

const DAY = 86_400_000;

/**
 * A collector started on a freshly loaded demo catches up in the background beside the reads a
 * bench times: the journey refresher takes every mark the load left (about 2M at 10M events, some 50
 * s of work on the inbox thread, which runs before the read threads), and the inbox maintenance
 * prunes and compacts whatever has aged out. This runs the same steps to the end first, at `now`:
 * `touchline serve`'s inbox maintenance (prune past `keepDays`, then compact payloads past
 * `payloadDays`, in its 500- and 100-row steps) and, with `refresh`, the journey refresher's steps
 * until no mark is left (a step deferred by the WAL bound waits for the checkpointer).
 */
export async function settleCollector(db, { now, keepDays = 32, payloadDays = 2, refresh = true }) {
  const storage = openStorage(db);
  const result = { deleted: 0, compacted: 0, steps: 0, refreshSteps: 0, ms: 0 };
  const t = performance.now();
  try {
    await storage.migrate();
    for (const [op, days, field, limit] of [
      ['pruneInbox', keepDays, 'deleted', 500],
      ['compactInbox', payloadDays, 'compacted', 100],
    ]) {
      for (let afterSeq = 0; ; ) {
        const step = await storage[op]({ before: now - days * DAY, afterSeq, limit });
        result[field] += step[field];
        result.steps += 1;
        if (step.done) break;
        afterSeq = step.lastSeq;
      }
    }
    while (refresh) {
      const step = await storage.refreshJourneys({ limit: 500 });
      result.refreshSteps += 1;
      if (step.deferred) await new Promise((resolve) => setTimeout(resolve, 50));
      else if (step.done) break;
    }
  } finally {
    await storage.close();
  }
  result.ms = Math.round(performance.now() - t);
  return result;
}
