// Public surface of @touchline/node: the client and its types; adapters live in subpath exports.
export {
  createClient, SDK_NAME, SDK_VERSION,
  type TouchlineClient, type TrackOptions, type ConversionInput,
} from './client/create-client.js';
export { parseClientSettings, type ClientSettings, type ClientSettingsInput, type RetrySettings } from './client-settings.js';
export type { RequestInfo } from './client/request-info.js';
export { headerGetterFromRecord, headerGetterFromHeaders } from './client/request-info.js';
export type { RequestScope } from './client/capture-scope.js';
export { viewBeaconScript } from './client/view-beacon.js';
export type { TouchlineEvents, TouchlineEventName, Listener } from './client/client-events.js';
export type { Transport, TransportStats, FlushResult } from './transport/transport.js';
export type { Scheduler, TimerHandle } from './transport/timer-set.js';
