// Settings of the collector: the single source of its defaults, validated once.
import { SettingsError, zodProblems } from '@touchline/core';
import { z } from 'zod';

export const serverSettingsSchema = z.object({
  /** TCP port. @default 8710 */
  port: z.number().int().min(0).max(65535).default(8710),
  /** Interface to bind. @default '127.0.0.1' */
  host: z.string().min(1).default('127.0.0.1'),
  /** Largest accepted request body in bytes (413 beyond). @default 1048576 */
  bodyLimitBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
  /** Items with a timestamp further in the future than this are rejected. @default 3600000 (1 h) */
  maxFutureSkewMs: z.number().int().nonnegative().default(60 * 60 * 1000),
  /** Items older than this are rejected. @default 2592000000 (30 days) */
  maxPastAgeMs: z.number().int().positive().default(30 * 24 * 60 * 60 * 1000),
  /** Keep IP addresses as sent instead of truncating them (IPv4 /24, IPv6 /48). @default false */
  storeFullIp: z.boolean().default(false),
  worker: z.object({
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
  }).strict().default({ enabled: true, batchSize: 2000, idleMs: 50, leaseMs: 10_000, maxAttempts: 5 }),
  /**
   * Delete events and processed inbox rows older than this many days (PostgreSQL drops whole monthly
   * partitions; SQLite deletes rows). Pending inbox rows are never deleted. Keep it above
   * maxPastAgeMs: an item's dedupe key goes with its inbox row. @default null (keep everything)
   */
  retentionDays: z.number().int().positive().nullable().default(null),
  /** How often storage maintenance runs (PostgreSQL partitions ahead, retention). @default 3600000 (1 h) */
  maintenanceIntervalMs: z.number().int().positive().default(60 * 60 * 1000),
  /** How often the key cache reloads from storage (revocations, new keys). @default 5000 */
  keyRefreshMs: z.number().int().positive().default(5000),
  /** Injected for tests: the clock, epoch ms. */
  now: z.custom<() => number>((v) => typeof v === 'function', 'now must be a function').optional(),
}).strict();

export type ServerSettingsInput = z.input<typeof serverSettingsSchema>;
export type ServerSettings = Readonly<z.output<typeof serverSettingsSchema>>;

export function parseServerSettings(input: ServerSettingsInput = {}): ServerSettings {
  const parsed = serverSettingsSchema.safeParse(input);
  if (!parsed.success) throw new SettingsError('collector', zodProblems(parsed.error));
  return Object.freeze(parsed.data);
}
