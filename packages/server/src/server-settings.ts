// Settings of the collector: the single source of its defaults, validated once.
import { SettingsError, zodProblems } from '@touchline/core';
import { DEFAULT_WAL_LIMIT_BYTES, MIN_WAL_LIMIT_BYTES } from '@touchline/storage';
import { z } from 'zod';

const DAY = 86_400_000;

const bucketSchema = z
  .object({
    ratePerSecond: z.number().positive().max(10_000_000),
    burst: z.number().int().min(1).max(10_000_000),
  })
  .strict();

export const serverSettingsSchema = z
  .object({
    /** TCP port. @default 8710 */
    port: z.number().int().min(0).max(65535).default(8710),
    /** Interface to bind. @default '127.0.0.1' */
    host: z.string().min(1).default('127.0.0.1'),
    /** Largest accepted request body in bytes (413 beyond). @default 1048576 */
    bodyLimitBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(1024 * 1024),
    /** Items with a timestamp further in the future than this are rejected. @default 3600000 (1 h) */
    maxFutureSkewMs: z
      .number()
      .int()
      .nonnegative()
      .default(60 * 60 * 1000),
    /**
     * A batch whose sent_at differs from the collector's clock by more than this comes from a host with a
     * wrong clock: its items' timestamps are corrected by the difference (below 1 min it is network time). @default 60000 (1 min)
     */
    clockToleranceMs: z.number().int().nonnegative().default(60_000),
    /** The largest sender clock skew corrected; beyond it items are judged as sent and a bad one is refused naming the skew. @default 86400000 (24 h) */
    maxClockCorrectionMs: z.number().int().nonnegative().default(DAY),
    /** Items older than this are rejected. @default 2592000000 (30 days) */
    maxPastAgeMs: z
      .number()
      .int()
      .positive()
      .default(30 * 24 * 60 * 60 * 1000),
    /** Keep IP addresses as sent instead of truncating them (IPv4 /24, IPv6 /48). @default false */
    storeFullIp: z.boolean().default(false),
    /**
     * Cookieless mode (docs/privacy.md): items an SDK sends without a visitor (`mode: 'cookieless'`, or a
     * consent rule answering 'cookieless') get a visitor id that is a keyed hash of (truncated IP, user
     * agent, site) under a random secret of their UTC day, and sessions by inactivity over it. Their IP is
     * always truncated, `storeFullIp` or not.
     */
    cookieless: z
      .object({
        /** Items of one cookieless visitor less than this apart are one session. @default 1800000 (30 min) */
        sessionTimeoutMs: z
          .number()
          .int()
          .min(60_000)
          .max(DAY)
          .default(30 * 60_000),
        /**
         * A day's secret is deleted this long after the day ends (UTC); a cookieless item reaching the
         * worker later is dead-lettered, since no one can compute its visitor any more. @default 21600000 (6 h)
         */
        secretMarginMs: z
          .number()
          .int()
          .min(60_000)
          .max(7 * DAY)
          .default(6 * 3_600_000),
      })
      .strict()
      .default({ sessionTimeoutMs: 30 * 60_000, secretMarginMs: 6 * 3_600_000 }),
    worker: z
      .object({
        /** Run inbox workers in this process. @default true */
        enabled: z.boolean().default(true),
        /**
         * Where the inbox worker runs: `thread` = a worker thread with its own SQLite connection (uses a
         * second core; needs the database file path), `inline` = on the main thread, sharing it with ingest.
         * @default 'thread' when the collector knows a database file path and no clock is injected, else 'inline'
         */
        mode: z.enum(['thread', 'inline']).optional(),
        /** Inbox rows claimed per pass. @default 2000 */
        batchSize: z.number().int().positive().max(20_000).default(2000),
        /** Sleep when the inbox is empty. @default 50 */
        idleMs: z.number().int().positive().default(50),
        /** A claimed row not finished within this is claimed again (crashed worker). @default 10000 */
        leaseMs: z.number().int().positive().default(10_000),
        /** Attempts before a row that keeps failing is dead-lettered. @default 5 */
        maxAttempts: z.number().int().positive().default(5),
      })
      .strict()
      .default({ enabled: true, batchSize: 2000, idleMs: 50, leaseMs: 10_000, maxAttempts: 5 }),
    reads: z
      .object({
        /**
         * Where queries (stats, series, top lists, attribution, journeys, CSV exports, integrity passes)
         * run: `thread` = on read threads with their own connections (SQLite WAL readers, or a small
         * PostgreSQL pool each), so the event loop that acknowledges ingest never waits for a query;
         * `inline` = on the main thread (the only choice for ':memory:' or storage the collector cannot reopen).
         * @default 'thread' when the collector knows the database file path or URL, else 'inline'
         */
        mode: z.enum(['thread', 'inline']).optional(),
        /** Read threads (queries running at once). @default 2 */
        threads: z.number().int().min(1).max(64).default(2),
        /** Queries waiting for a free thread; one more is answered 503 + Retry-After. @default 32 */
        maxQueued: z.number().int().min(0).max(10_000).default(32),
        /** The Retry-After (seconds) of that 503. @default 1 */
        retryAfterSeconds: z.number().int().min(1).max(3600).default(1),
        /**
         * Nice value of the read threads (Linux; 0 = as the main thread): on cores that are all busy, the
         * thread that acknowledges ingest goes before a long query, which is slower there instead. @default 10
         */
        threadNice: z.number().int().min(0).max(19).default(10),
      })
      .strict()
      .default({ threads: 2, maxQueued: 32, retryAfterSeconds: 1, threadNice: 10 }),
    integrity: z
      .object({
        /** Run the integrity monitor in this collector. @default true */
        enabled: z.boolean().default(true),
        /** How often every account's integrity checks are evaluated (one pass at a time). @default 300000 (5 min) */
        intervalMs: z
          .number()
          .int()
          .min(1000)
          .default(5 * 60 * 1000),
        /**
         * The first pass this long after the collector started (0: at once). A pass reads a month of
         * every account's sessions; run at start, it lands beside the first requests after a restart
         * (docs/reads.md, "The first request after start"). Until it has run, /api/v1/integrity
         * evaluates the asked account on demand. @default 60000 (1 min)
         */
        firstPassAfterMs: z.number().int().min(0).max(DAY).default(60_000),
        /** POST a JSON notice here when a check enters alert or recovers from it. @default none */
        webhookUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
        /** Attempts per webhook notice before it is given up (reported via onError and metrics). @default 5 */
        webhookMaxAttempts: z.number().int().min(1).max(20).default(5),
        /** Backoff before the second attempt; doubles each attempt, capped at 60 s. @default 1000 */
        webhookBackoffMs: z.number().int().min(1).max(60_000).default(1000),
        /** Timeout of one webhook request. @default 10000 */
        webhookTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
        /** How often the SDK health reports batches carry (latest per SDK instance) are written to storage. @default 10000 */
        sdkHealthFlushMs: z.number().int().min(100).default(10_000),
      })
      .strict()
      .default({
        enabled: true,
        intervalMs: 5 * 60 * 1000,
        firstPassAfterMs: 60_000,
        webhookMaxAttempts: 5,
        webhookBackoffMs: 1000,
        webhookTimeoutMs: 10_000,
        sdkHealthFlushMs: 10_000,
      }),
    /**
     * Delete events and processed inbox rows older than this many days (PostgreSQL drops whole monthly
     * partitions; SQLite deletes rows). Pending inbox rows are never deleted. Keep it above
     * maxPastAgeMs: an item's dedupe key goes with its inbox row. @default null (keep everything)
     */
    retentionDays: z.number().int().positive().nullable().default(null),
    /**
     * Processed inbox rows are deleted this many days after they were received (null: kept forever).
     * An inbox row's (account, item id) key is what makes a re-sent item a duplicate; past
     * maxPastAgeMs + maxFutureSkewMs a re-sent item is rejected as too old instead, so the row is no
     * longer needed: the setting must be at least that (31 days with the defaults). Pending and
     * dead-lettered rows are never pruned. `touchline repair-sessions` re-derives landings from
     * processed rows: run it before they go, or keep them (null). @default 32
     */
    inboxKeepDays: z.number().int().positive().nullable().default(32),
    /**
     * Processed inbox rows keep their payload (the item as sent, with its request context) this many
     * days after they were received; then it is emptied and the row stays, only as the item's dedupe
     * key, until inboxKeepDays (null: payloads kept as long as their rows). Nothing reads a processed
     * payload but `touchline repair-sessions` and the access export's `received_items`, and the
     * payload is most of an inbox row's bytes (docs/storage-bytes.md). 0 compacts at the first
     * maintenance run after processing. @default 2
     */
    inboxPayloadKeepDays: z.number().int().min(0).nullable().default(2),
    /** How often storage maintenance runs (PostgreSQL partitions ahead, retention) and processed inbox rows are pruned. @default 3600000 (1 h) */
    /** How often the journey refresher looks for marked visitors (docs/read-model.md, materialized journeys). @default 2000 */
    journeyRefreshMs: z.number().int().positive().default(2000),
    maintenanceIntervalMs: z
      .number()
      .int()
      .positive()
      .default(60 * 60 * 1000),
    /**
     * How often storage is probed (a deleted SQLite file, a full disk, PostgreSQL unreachable); a
     * storage fault also shows at once on the write that meets it, and is cleared by the next probe that passes. @default 2000
     */
    storageProbeMs: z.number().int().min(50).default(2000),
    /**
     * The bearer token /metrics requires (`Authorization: Bearer <token>`; Prometheus: `authorization`
     * with `credentials` in the scrape config). Without one, /metrics stays open but leaves out the
     * per-account series (account names). @default none
     */
    metricsToken: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
    /**
     * Conversions sent back to ad platforms (docs/conversion-uploads.md). The loop runs in the
     * background, but sends nothing unless an account has configured and enabled a destination.
     */
    uploads: z
      .object({
        /** Run the delivery loop in this collector. @default true */
        enabled: z.boolean().default(true),
        /** How often due deliveries are sent and new conversions queued. @default 10000 */
        intervalMs: z.number().int().min(50).default(10_000),
        /** A conversion is queued once it is this old, so the sessions and click ids of its journey have arrived. @default 60000 */
        settleMs: z.number().int().min(0).max(DAY).default(60_000),
        /** Conversions looked at per destination and pass (each one journey lookup, on a read thread). @default 200 */
        conversionsPerPass: z.number().int().min(1).max(10_000).default(200),
        /** Conversions per request to a platform (Meta takes up to 1000 events, Google 2000 conversions). @default 100 */
        batchSize: z.number().int().min(1).max(1000).default(100),
        /** Deliveries claimed per pass, across destinations. @default 1000 */
        claimLimit: z.number().int().min(1).max(100_000).default(1000),
        /** How long a claimed delivery is held before another collector may send it. @default 120000 */
        leaseMs: z.number().int().min(1000).default(120_000),
        /** Timeout of one request to a platform. @default 30000 */
        timeoutMs: z.number().int().min(100).max(300_000).default(30_000),
        /** Attempts per delivery, the first included. @default 8 */
        maxAttempts: z.number().int().min(1).max(50).default(8),
        /** Delay before the second attempt; doubled for each further one, at most maxBackoffMs. @default 30000 */
        backoffMs: z.number().int().min(1).default(30_000),
        /** Longest delay between attempts (Retry-After included). @default 3600000 */
        maxBackoffMs: z.number().int().min(1).default(3_600_000),
      })
      .strict()
      .prefault({}),
    /** Disk use (DESIGN.md L13): what the integrity monitor, `touchline doctor` and /metrics hold the database to. */
    disk: z
      .object({
        /**
         * SQLite: the bound of the write-ahead log. Open the storage with the same value
         * (`openStorage(url, { walLimitBytes })`; `touchline serve` does): the inbox worker thread's
         * connection is opened with it, and the monitor warns at half of it. @default 67108864 (64 MiB)
         */
        walLimitBytes: z.number().int().min(MIN_WAL_LIMIT_BYTES).default(DEFAULT_WAL_LIMIT_BYTES),
        /** Warn when the database's file system has less free space than this (alert below a quarter of it). @default 1073741824 (1 GiB) */
        minFreeBytes: z
          .number()
          .int()
          .nonnegative()
          .default(1024 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    /** How often the key cache reloads from storage (revocations, new keys). @default 5000 */
    keyRefreshMs: z.number().int().positive().default(5000),
    /**
     * Longest a request may take from its first byte to its last body byte; a slower client (a
     * slowloris body) gets 408 and its connection closed. Checked every quarter of this (at most 5 s).
     * @default 30000
     */
    requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
    /** Per-key and per-IP token buckets on /api/* (429 + Retry-After beyond them). */
    rateLimit: z
      .object({
        /** @default true */
        enabled: z.boolean().default(true),
        /** Sustained requests per second and burst for one API key. @default { ratePerSecond: 50000, burst: 100000 } */
        perKey: bucketSchema.default({ ratePerSecond: 50_000, burst: 100_000 }),
        /** The same for one client IP (the socket address), whatever key it sends. @default { ratePerSecond: 50000, burst: 100000 } */
        perIp: bucketSchema.default({ ratePerSecond: 50_000, burst: 100_000 }),
        /** IPs and keys tracked at once; beyond it idle buckets are forgotten first. @default 100000 */
        maxTracked: z.number().int().min(100).default(100_000),
      })
      .strict()
      .default({
        enabled: true,
        perKey: { ratePerSecond: 50_000, burst: 100_000 },
        perIp: { ratePerSecond: 50_000, burst: 100_000 },
        maxTracked: 100_000,
      }),
    /** Injected for tests: the clock, epoch ms. */
    now: z.custom<() => number>((v) => typeof v === 'function', 'now must be a function').optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    // A row pruned before its item is too old to be accepted again would let a retry be stored twice.
    const needMs = s.maxPastAgeMs + s.maxFutureSkewMs;
    if (s.inboxKeepDays !== null && s.inboxKeepDays * DAY < needMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['inboxKeepDays'],
        message: `must be at least ${Math.ceil(needMs / DAY)} days (maxPastAgeMs + maxFutureSkewMs), or null (--inbox-keep-days forever) to keep processed inbox rows: a re-sent item younger than that would be stored twice`,
      });
    }
  });

export type ServerSettingsInput = z.input<typeof serverSettingsSchema>;
export type ServerSettings = Readonly<z.output<typeof serverSettingsSchema>>;

export function parseServerSettings(input: ServerSettingsInput = {}): ServerSettings {
  const parsed = serverSettingsSchema.safeParse(input);
  if (!parsed.success) throw new SettingsError('collector', zodProblems(parsed.error));
  return Object.freeze(parsed.data);
}
