// Public surface of @touchline/node on Node: the client with the on-disk spool wired in; adapters live in subpath exports.
import { createClient as createPlatformClient, type TouchlineClient } from './client/create-client.js';
import type { ClientSettingsInput } from './client-settings.js';
import { openNodeSpool } from './spool/file-spool.js';

export {
  SDK_NAME,
  SDK_VERSION,
  type TouchlineClient,
  type TrackOptions,
  type ConversionInput,
  type ClientPlatform,
  parseClientSettings,
  type ClientSettings,
  type ClientSettingsInput,
  type RetrySettings,
  type SpoolSettings,
  type RequestInfo,
  headerGetterFromRecord,
  headerGetterFromHeaders,
  viewBeaconScript,
  navigationBeaconScript,
  type RequestScope,
  type TouchlineEvents,
  type TouchlineEventName,
  type Listener,
  type Transport,
  type TransportStats,
  type FlushResult,
  type Scheduler,
  type TimerHandle,
  type SpoolStats,
} from './edge.js';
export { SpoolError, type SpoolErrorCode } from './spool/spool-error.js';

/**
 * Creates an independent client; with `spool: { path }` its items wait on disk during outages.
 * Throws SettingsError for bad settings and SpoolError when the spool directory cannot be used
 * or this process already has it open: both refused at start, never during an outage.
 *
 * @example
 * const touchline = createClient({ apiKey: process.env.TOUCHLINE_KEY!, spool: { path: '/var/lib/app/touchline-spool' } });
 */
export function createClient(input: ClientSettingsInput): TouchlineClient {
  return createPlatformClient(input, { openSpool: openNodeSpool });
}
