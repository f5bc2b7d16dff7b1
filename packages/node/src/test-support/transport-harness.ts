// Builds a transport against a stub collector with fast test settings, recording every event it emits.
import { parseClientSettings, type ClientSettingsInput } from '../client-settings.js';
import { createEmitter, type TouchlineEventName, type TouchlineEvents } from '../client/client-events.js';
import type { SpoolStore } from '../spool/spool-store.js';
import { createTransport } from '../transport/create-transport.js';
import type { Transport } from '../transport/transport.js';

export type RecordedEvent = { [K in TouchlineEventName]: { name: K; payload: TouchlineEvents[K] } }[TouchlineEventName];

export interface TransportHarness {
  transport: Transport;
  events: RecordedEvent[];
  errors: Error[];
  /** Sum of `count` over 'dropped' events with this reason. */
  droppedBy(reason: string): number;
  of<K extends TouchlineEventName>(name: K): TouchlineEvents[K][];
}

type Overrides = Omit<Partial<ClientSettingsInput>, 'batch' | 'retry'> & {
  batch?: Partial<NonNullable<ClientSettingsInput['batch']>>;
  retry?: Partial<NonNullable<ClientSettingsInput['retry']>>;
};

/** Small delays everywhere so fault scenarios finish in milliseconds, not minutes. */
export interface HarnessDeps {
  /** @default the real global fetch */
  fetch?: typeof fetch;
  random?: () => number;
  /** Without it, failures arrive as 'error' events only. @default records into `errors` */
  onError?: ((error: Error) => void) | null;
  /** An opened spool. @default memory only */
  spool?: SpoolStore;
}

export function createTestTransport(
  endpoint: string,
  overrides: Overrides = {},
  deps: HarnessDeps = {},
): TransportHarness {
  const settings = parseClientSettings({
    apiKey: 'test-key',
    ...overrides,
    endpoint,
    batch: { maxItems: 20, maxBytes: 64 * 1024, flushIntervalMs: 20, ...overrides.batch },
    retry: {
      baseDelayMs: 5,
      maxDelayMs: 50,
      maxRetryAfterMs: 200,
      maxAttempts: 50,
      budgetMs: 10_000,
      authProbeMaxDelayMs: 40,
      ...overrides.retry,
    },
    requestTimeoutMs: overrides.requestTimeoutMs ?? 2_000,
  });
  const events: RecordedEvent[] = [];
  const errors: Error[] = [];
  const emitter = createEmitter((name, payload) => {
    events.push({ name, payload } as RecordedEvent);
    if (name === 'error') errors.push((payload as TouchlineEvents['error']).error);
  });
  const transport = createTransport(settings, {
    fetch: deps.fetch ?? globalThis.fetch.bind(globalThis),
    now: Date.now,
    emitter,
    sdk: { name: '@touchline/node', version: '0.0.0-test' },
    ...(deps.onError === null
      ? {}
      : {
          onError:
            deps.onError ??
            ((error: Error) => {
              errors.push(error);
            }),
        }),
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.spool ? { spool: deps.spool } : {}),
  });
  const of = <K extends TouchlineEventName>(name: K): TouchlineEvents[K][] =>
    events.filter((e) => e.name === name).map((e) => e.payload as TouchlineEvents[K]);
  return {
    transport,
    events,
    errors,
    of,
    droppedBy: (reason) =>
      of('dropped')
        .filter((d) => d.reason === reason)
        .reduce((sum, d) => sum + d.count, 0),
  };
}
