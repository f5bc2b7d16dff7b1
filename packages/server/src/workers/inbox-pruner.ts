// Prunes processed inbox rows once they can no longer be duplicates: bounded steps, each its own short transaction, yielding between them.
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { Storage } from '@touchline/storage';

const DAY = 86_400_000;
/** Rows looked at per step: one step holds SQLite's write lock for a few milliseconds at most. */
export const PRUNE_STEP_ROWS = 500;

export interface PruneRun { deleted: number; steps: number }

/**
 * One run: walks the inbox from its start in steps of `stepRows`, deleting done rows received more
 * than `keepDays` before `now`, until a step finds nothing old enough. Between steps it yields to
 * the event loop (and, behind the write gate, to ingest). `stopping` ends the run early.
 */
export async function pruneProcessedInbox(deps: {
  storage: Pick<Storage, 'pruneInbox'>; keepDays: number; now: number; stepRows?: number; stopping?: () => boolean;
}): Promise<PruneRun> {
  const before = deps.now - deps.keepDays * DAY;
  const run: PruneRun = { deleted: 0, steps: 0 };
  let afterSeq = 0;
  for (;;) {
    const step = await deps.storage.pruneInbox({ before, afterSeq, limit: deps.stepRows ?? PRUNE_STEP_ROWS });
    run.deleted += step.deleted;
    run.steps += 1;
    afterSeq = step.lastSeq;
    if (step.done || deps.stopping?.() === true) return run;
    await yieldToEvents();
  }
}

export interface InboxPruner {
  /** Stops the timer and waits for a run in progress (which ends after its current step). */
  stop(): Promise<void>;
}

/**
 * A run at once, then one every `intervalMs`; runs never overlap; a failed run is reported and
 * retried next time. `enabled` is asked before each run: the collector's own pruner stands aside
 * while its inbox worker thread (which prunes on its own connection) is alive.
 */
export function startInboxPruner(deps: {
  storage: Pick<Storage, 'pruneInbox'>; keepDays: number; intervalMs: number; now: () => number;
  onError: (error: Error) => void; onRun?: (run: PruneRun) => void; enabled?: () => boolean;
}): InboxPruner {
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = (): void => {
    if (running !== null || stopped || deps.enabled?.() === false) return;
    running = pruneProcessedInbox({ storage: deps.storage, keepDays: deps.keepDays, now: deps.now(), stopping: () => stopped })
      .then((r) => deps.onRun?.(r), (error: unknown) => { deps.onError(error instanceof Error ? error : new Error(String(error))); })
      .finally(() => { running = null; });
  };
  run();
  const timer = setInterval(run, deps.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
