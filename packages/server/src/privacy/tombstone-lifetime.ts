// How long an erasure's tombstones live: past that, any item of the erased person is refused at ingest as too old.
import type { ServerSettings } from '../server-settings.js';

const DAY_MS = 86_400_000;

/**
 * The collector accepts an item up to maxPastAgeMs old (by its timestamp, judged with maxFutureSkewMs
 * of sender clock slack). An item of the erased person was made before the erasure, so after
 * maxPastAgeMs + maxFutureSkewMs it is refused by validation itself; a day more covers a collector
 * whose clock lags the one that erased. With the defaults: 30 days + 1 hour + 1 day.
 */
export function tombstoneLifetimeMs(settings: Pick<ServerSettings, 'maxPastAgeMs' | 'maxFutureSkewMs'>): number {
  return settings.maxPastAgeMs + settings.maxFutureSkewMs + DAY_MS;
}
