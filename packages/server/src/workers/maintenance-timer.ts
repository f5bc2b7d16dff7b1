// Runs storage maintenance (PostgreSQL partitions ahead, retention) once at start and then periodically.
import type { Storage } from '@touchline/storage';
import type { ServerSettings } from '../server-settings.js';
import { startPeriodicJob, type PeriodicJob } from './periodic-job.js';

export type MaintenanceTimer = Pick<PeriodicJob, 'stop'>;

/**
 * One run right away (so a fresh collector has next months' partitions before it needs them), then
 * one every maintenanceIntervalMs (startPeriodicJob: runs never overlap; a failed run is reported
 * and retried next time).
 */
export function startMaintenance(deps: {
  storage: Storage;
  settings: ServerSettings;
  now: () => number;
  onError: (error: Error) => void;
}): MaintenanceTimer {
  const { storage, settings, now, onError } = deps;
  return startPeriodicJob(
    () => storage.maintain({ now: now(), retentionDays: settings.retentionDays }),
    settings.maintenanceIntervalMs,
    { onError },
  );
}
