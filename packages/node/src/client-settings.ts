// Settings of the Node SDK client: the single source of its defaults, validated once.
import { SettingsError, sessionSettingsSchema, zodProblems } from '@touchline/core';
import { z } from 'zod';
import type { TouchlineEvents } from './client/client-events.js';
import type { ConsentRule } from './client/consent.js';
import type { Scheduler } from './transport/timer-set.js';

const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', `${what} must be a function`);

/** Retry policy as data. Every delay is in milliseconds. */
export const retrySettingsSchema = z
  .object({
    /** First backoff ceiling; attempt k waits a random time in [0, min(max, base * 2^k)]. @default 500 */
    baseDelayMs: z.number().int().positive().default(500),
    /** Ceiling of any single backoff. @default 60000 */
    maxDelayMs: z.number().int().positive().default(60_000),
    /** Longest Retry-After honoured; longer values are capped to this. @default 120000 */
    maxRetryAfterMs: z.number().int().nonnegative().default(120_000),
    /** Attempts per batch for transient failures (5xx, 429, network, crossed replies). @default 10 */
    maxAttempts: z.number().int().positive().default(10),
    /** Total time a batch may spend retrying transient failures before it is dropped. @default 600000 */
    budgetMs: z.number().int().positive().default(600_000),
    /** Ceiling of the backoff between probes while the collector answers 401/403. @default 60000 */
    authProbeMaxDelayMs: z.number().int().positive().default(60_000),
  })
  .strict();

export const clientSettingsSchema = z
  .object({
    /** Secret key created with `touchline keys create`. */
    apiKey: z.string().min(1, 'is required'),
    /** Collector base URL. @default 'http://127.0.0.1:8710' */
    endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('http://127.0.0.1:8710'),
    /** Visitor/session protocol, session convention and cookie attributes; defaults live in core's schema only. */
    session: sessionSettingsSchema.prefault({}),
    batch: z
      .object({
        /** Items per request. @default 100 */
        maxItems: z.number().int().positive().max(500).default(100),
        /** Serialized bytes per request. @default 491520 */
        maxBytes: z
          .number()
          .int()
          .min(4096)
          .max(1024 * 1024)
          .default(480 * 1024),
        /** How long an item may wait for its batch to fill. @default 1000 */
        flushIntervalMs: z.number().int().positive().default(1000),
      })
      .strict()
      .default({ maxItems: 100, maxBytes: 480 * 1024, flushIntervalMs: 1000 }),
    /** Items held in memory while waiting for delivery; beyond it new items are dropped and counted. @default 10000 */
    maxQueueItems: z.number().int().positive().default(10_000),
    /**
     * Optional on-disk spool (Node entry only), so an outage of hours costs disk, not items. Every
     * item is written to a file of this process under `path` before the call that recorded it
     * returns; memory keeps `maxQueueItems` of them; after a crash or a close that timed out, the
     * next process started on the same path sends what was left (at least once: the collector
     * dedupes on item ids). One directory per host: processes of the app share it, each with its
     * own files. @default none: the memory queue alone
     */
    spool: z
      .object({
        /** Directory, created if missing; must be local to this host (owners are found by pid). */
        path: z.string().min(1, 'is required'),
        /** Bytes on disk at most; beyond it new items are dropped and counted as `spool_full`. @default 268435456 */
        maxBytes: z
          .number()
          .int()
          .min(1024 * 1024)
          .default(256 * 1024 * 1024),
      })
      .strict()
      .optional(),
    /** Requests to the collector at once. @default 2 */
    maxInFlight: z.number().int().positive().max(16).default(2),
    /** Per-request timeout. @default 10000 */
    requestTimeoutMs: z.number().int().positive().default(10_000),
    retry: retrySettingsSchema.default({
      baseDelayMs: 500,
      maxDelayMs: 60_000,
      maxRetryAfterMs: 120_000,
      maxAttempts: 10,
      budgetMs: 600_000,
      authProbeMaxDelayMs: 60_000,
    }),
    /** Read client IP, host and scheme from X-Forwarded-* (only behind a proxy you control). @default false */
    trustProxy: z.boolean().default(false),
    /** Send the client IP for the collector to anonymise. @default true */
    captureIp: z.boolean().default(true),
    /** Record a pageview item for every navigation. @default true */
    trackPageviews: z.boolean().default(true),
    /**
     * Path the adapters answer (204) as the view beacon of prefetched and prerendered pages, sent by
     * `viewBeaconScript(path)` when such a page is actually shown; false turns it off.
     * @default '/_touchline/view'
     */
    viewBeaconPath: z
      .union([
        z.literal(false),
        z.string().regex(/^\/[A-Za-z0-9._~!$'()*+,;=:@%/-]*$/, 'must be a path such as /_touchline/view'),
      ])
      .default('/_touchline/view'),
    /**
     * Path the adapters serve the navigation beacon script from (`<script src>` it on every page of
     * a single-page app, or in Next.js's root layout): it reports client-side route changes, bfcache
     * restores and shown speculative loads to `viewBeaconPath`. false turns it off.
     * @default '/_touchline/beacon.js'
     */
    beaconScriptPath: z
      .union([
        z.literal(false),
        z.string().regex(/^\/[A-Za-z0-9._~!$'()*+,;=:@%/-]*$/, 'must be a path such as /_touchline/beacon.js'),
      ])
      .default('/_touchline/beacon.js'),
    /**
     * For platforms that freeze or end the process after the response (AWS Lambda, Vercel,
     * Netlify, Cloudflare): each request's items are delivered before the platform may freeze it.
     * With `waitUntil` (the platform's, e.g. `waitUntil` from @vercel/functions) the flush is handed
     * to it; adapters that get a per-request one (Next.js middleware's `event`, a worker's `ctx`) use
     * that. Otherwise the adapter holds the end of the response until the flush settles or
     * `flushTimeoutMs` passes. @default none: items are batched across requests
     */
    serverless: z
      .object({
        waitUntil: fn<(promise: Promise<unknown>) => void>('serverless.waitUntil').optional(),
        /** Longest a response waits for its items' delivery (and the longest a waitUntil promise runs). @default 2000 */
        flushTimeoutMs: z.number().int().positive().max(60_000).default(2000),
      })
      .strict()
      .optional(),
    /**
     * Send this instance's delivery health (retries, drops, 401/403s, navigations and bot
     * navigations seen) with every batch, for the collector's integrity checks. @default true
     */
    reportHealth: z.boolean().default(true),
    /**
     * `'cookieless'`: no Touchline cookie is ever set or read; the collector identifies visitors by a
     * keyed daily hash of (truncated IP, user agent, site) and sessions by inactivity (docs/privacy.md:
     * the accuracy this costs). A `consent` rule's `'full'` then means cookieless too. Needs `captureIp`.
     * @default 'cookies'
     */
    mode: z.enum(['cookies', 'cookieless']).default('cookies'),
    /**
     * Decides per request whether Touchline tracks it: `'full'` (cookies, as without this setting),
     * `'cookieless'` (tracked without any Touchline cookie, as in `mode: 'cookieless'`) or
     * `'none'` (no Touchline cookie set or read, no pageview, the request's events dropped as
     * `no_consent`). Receives `{ header, cookie, url }`; typically reads the site's consent cookie:
     * `consent: (req) => req.cookie('cookie_consent') === 'yes' ? 'full' : 'none'`. A rule that throws
     * or returns anything else means `'none'` and is reported to onError. @default every request 'full'
     */
    consent: fn<ConsentRule>('consent').optional(),
    /**
     * Browser privacy signals: `'none'` tracks no request that carries `Sec-GPC: 1` (Global Privacy
     * Control) or `DNT: 1`, whatever `consent` says; `'ignore'` leaves the decision to `consent`. @default 'ignore'
     */
    privacySignals: z.enum(['ignore', 'none']).default('ignore'),
    /** Receives every failure; the SDK never throws into the host app. */
    onError: fn<(error: Error) => void>('onError').optional(),
    /** Receives every client event (delivered, retry, dropped, ...) for debugging. */
    debug: z
      .union([
        z.boolean(),
        fn<<K extends keyof TouchlineEvents>(name: K, payload: TouchlineEvents[K]) => void>('debug'),
      ])
      .default(false),
    /** Injected for tests: the HTTP client (global fetch fits). @default node:http(s) with keep-alive agents (see createHttpPost) */
    fetch: fn<typeof globalThis.fetch>('fetch').optional(),
    /** Injected for tests: the clock, epoch ms. @default Date.now */
    now: fn<() => number>('now').optional(),
    /** Injected for tests: the transport's timers (retry waits, flush interval), paired with `now`. @default the global timers */
    scheduler: z
      .custom<Scheduler>(
        (v) =>
          typeof (v as Scheduler | null)?.setTimeout === 'function' &&
          typeof (v as Scheduler).clearTimeout === 'function',
        'scheduler must be an object with setTimeout(fn, ms) and clearTimeout(handle)',
      )
      .optional(),
  })
  .strict()
  .refine((s) => s.mode !== 'cookieless' || s.captureIp, {
    path: ['captureIp'],
    message: "must be true with mode 'cookieless': the collector identifies cookieless visitors by the (truncated) IP",
  })
  .refine((s) => s.beaconScriptPath === false || s.viewBeaconPath !== false, {
    path: ['beaconScriptPath'],
    message: 'the navigation beacon script reports to viewBeaconPath: turn it off (false) too, or keep viewBeaconPath',
  })
  .refine((s) => s.beaconScriptPath === false || s.beaconScriptPath !== s.viewBeaconPath, {
    path: ['beaconScriptPath'],
    message: 'must differ from viewBeaconPath',
  });

export type ClientSettingsInput = z.input<typeof clientSettingsSchema>;
export type ClientSettings = Readonly<z.output<typeof clientSettingsSchema>>;
export type RetrySettings = Readonly<z.output<typeof retrySettingsSchema>>;
export type SpoolSettings = Readonly<NonNullable<z.output<typeof clientSettingsSchema>['spool']>>;

/** Parses once; every problem is listed in one SettingsError naming the field. */
export function parseClientSettings(input: ClientSettingsInput): ClientSettings {
  const parsed = clientSettingsSchema.safeParse(input);
  if (!parsed.success) throw new SettingsError('@touchline/node client', zodProblems(parsed.error));
  return Object.freeze(parsed.data);
}
