// Runs storage maintenance (PostgreSQL partitions ahead, retention) once at start and then periodically.
import type { Storage } from '@touchline/storage';
import type { ServerSettings } from '../server-settings.js';

export interface MaintenanceTimer {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * One run right away (so a fresh collector has next months' partitions before it needs them), then
 * one every maintenanceIntervalMs. Runs never overlap; a failed run is reported and retried next time.
 */
export function startMaintenance(deps: {
  storage: Storage; settings: ServerSettings; now: () => number; onError: (error: Error) => void;
}): MaintenanceTimer {
  const { storage, settings, now, onError } = deps;
  let running: Promise<void> | null = null;
  const run = (): void => {
    if (running !== null) return;
    running = storage.maintain({ now: now(), retentionDays: settings.retentionDays })
      .then(() => undefined, (error: unknown) => { onError(error instanceof Error ? error : new Error(String(error))); })
      .finally(() => { running = null; });
  };
  run();
  const timer = setInterval(run, settings.maintenanceIntervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
