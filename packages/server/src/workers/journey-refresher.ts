// Keeps the materialized journeys: bounded refresh steps, each its own short transaction, yielding between them (never on the request path).
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { JourneyRefreshStep, Storage } from '@touchline/storage';
import { startPeriodicJob, type PeriodicJob } from './periodic-job.js';

/** Marked visitors per step: a step rebuilds their persons' conversions, a few milliseconds of write lock. */
export const JOURNEY_STEP_VISITORS = 50;

export interface JourneyRefreshRun {
  visitors: number;
  conversions: number;
  steps: number;
}

/**
 * One run: refresh steps until one finds fewer marks than it may take (the marks are consumed, so
 * the run ends), or `stopping`. A run is idempotent and coalesced: a visitor marked ten times since
 * the last run is one mark, and a step that fails leaves its marks for the next run (DESIGN.md L8).
 */
export async function refreshJourneyRun(deps: {
  storage: Pick<Storage, 'refreshJourneys'>;
  stepVisitors?: number;
  stopping?: () => boolean;
}): Promise<JourneyRefreshRun> {
  const run: JourneyRefreshRun = { visitors: 0, conversions: 0, steps: 0 };
  for (;;) {
    const step: JourneyRefreshStep = await deps.storage.refreshJourneys({
      limit: deps.stepVisitors ?? JOURNEY_STEP_VISITORS,
    });
    run.visitors += step.visitors;
    run.conversions += step.conversions;
    run.steps += 1;
    if (step.done || deps.stopping?.() === true) return run;
    await yieldToEvents();
  }
}

export type JourneyRefresher = Pick<PeriodicJob, 'stop'>;

/**
 * A run at once, then one every `intervalMs` (startPeriodicJob: runs never overlap; a failed run
 * is reported and retried next time). `enabled` is asked before each run: the collector's own
 * refresher stands aside while its inbox worker thread (which refreshes on its own connection) is alive.
 */
export function startJourneyRefresher(deps: {
  storage: Pick<Storage, 'refreshJourneys'>;
  intervalMs: number;
  onError: (error: Error) => void;
  onRun?: (run: JourneyRefreshRun) => void;
  enabled?: () => boolean;
}): JourneyRefresher {
  return startPeriodicJob(
    async (stopping) => {
      if (deps.enabled?.() === false) return;
      // Awaited first: `onRun?.(await ...)` would skip the run itself when onRun is not given.
      const run = await refreshJourneyRun({ storage: deps.storage, stopping });
      deps.onRun?.(run);
    },
    deps.intervalMs,
    { onError: deps.onError },
  );
}
