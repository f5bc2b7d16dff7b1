// Entry of @touchline/node for Web-standard runtimes (workerd, edge-light): the client without the file spool, so nothing here loads node:fs.
export {
  createClient,
  SDK_NAME,
  SDK_VERSION,
  type TouchlineClient,
  type TrackOptions,
  type ConversionInput,
  type ClientPlatform,
} from './client/create-client.js';
export {
  parseClientSettings,
  type ClientSettings,
  type ClientSettingsInput,
  type RetrySettings,
  type SpoolSettings,
} from './client-settings.js';
export type { RequestInfo } from './client/request-info.js';
export { headerGetterFromRecord, headerGetterFromHeaders } from './client/request-info.js';
export { viewBeaconScript } from './client/view-beacon.js';
export { navigationBeaconScript } from './client/navigation-beacon.js';
export type { RequestScope } from './client/capture-scope.js';
export type { TouchlineEvents, TouchlineEventName, Listener } from './client/client-events.js';
export type { Transport, TransportStats, FlushResult } from './transport/transport.js';
export type { Scheduler, TimerHandle } from './transport/timer-set.js';
export type { SpoolStats } from './spool/spool-store.js';
