// `touchline serve`: the collector, workers and the dashboard (at /) in one process.
import { parseArgs } from 'node:util';
import { registerDashboard } from '@touchline/dashboard';
import { createCollector } from '@touchline/server';
import { openStorage, parseStorageUrl, redactUrl } from '@touchline/storage';
import { databaseFrom, UsageError, type CliIo } from '../cli-io.js';
import { migrationProgressLine } from '../migration-progress.js';
import { rateLimitFromEnv } from './rate-limit-env.js';

export const SERVE_HELP = `Usage: touchline serve [--port N] [--host ADDR] [--db PATH|URL] [--alert-webhook URL]
                       [--retention-days N] [--inbox-keep-days N|forever] [--inbox-payload-keep-days N|forever] [--worker-lease-ms N] [--read-threads N]
                       [--wal-limit-mb N] [--min-free-disk-mb N]
  --port             TCP port (env TOUCHLINE_PORT, default 8710)
  --host             interface to bind (env TOUCHLINE_HOST, default 127.0.0.1)
  --db               SQLite file (default ./touchline.db) or postgres://user@host:port/db[?schema=NAME]
                     (env TOUCHLINE_DB / TOUCHLINE_DATABASE_URL); on PostgreSQL several collectors can share one database
  --alert-webhook    POST integrity alerts and recoveries here as JSON (env TOUCHLINE_ALERT_WEBHOOK)
  --retention-days   delete events and processed inbox rows older than N days; PostgreSQL drops whole
                     monthly partitions (env TOUCHLINE_RETENTION_DAYS, default: keep everything)
  --inbox-keep-days  delete processed inbox rows N days after they arrived, once a re-sent item is too old
                     to be accepted anyway (at least 31); \`forever\` keeps them (repair-sessions reads them)
                     (env TOUCHLINE_INBOX_KEEP_DAYS, default 32)
  --inbox-payload-keep-days  empty processed inbox rows' payloads N days after they arrived (the row stays
                     as the item's dedupe key); \`forever\` keeps them (env TOUCHLINE_INBOX_PAYLOAD_KEEP_DAYS, default 2)
  --worker-lease-ms  how long a claimed inbox row stays with its worker before another may take it
                     (env TOUCHLINE_WORKER_LEASE_MS, default 10000)
  --read-threads     queries (stats, attribution, exports, integrity) running at once on read threads,
                     off the ingest event loop (env TOUCHLINE_READ_THREADS, default 2); up to 32 more
                     wait, beyond that 503 + Retry-After. env TOUCHLINE_READS=inline runs them on the
                     main thread instead (for comparison only); env TOUCHLINE_READ_THREAD_NICE (0-19,
                     default 10) is their Linux nice value: 0 lets queries compete with ingest for a busy CPU
  --wal-limit-mb     SQLite: bound of the write-ahead log in MiB; from a quarter of it the log is restarted,
                     from three quarters ingest answers 503 + Retry-After until a long reader lets it go
                     (env TOUCHLINE_WAL_LIMIT_MB, default 64)
  --min-free-disk-mb warn (integrity monitor, /metrics) when the database's disk has less free space
                     (env TOUCHLINE_MIN_FREE_DISK_MB, default 1024)
  env TOUCHLINE_INTEGRITY_FIRST_PASS_AFTER_MS = when the integrity monitor's first pass runs after start
      (default 60000, then every 5 min; 0 = at once, beside the first requests after a restart)
  env TOUCHLINE_RATE_LIMIT_KEY / TOUCHLINE_RATE_LIMIT_IP = RATE[/BURST] requests per second
      (default 50000/100000 each), TOUCHLINE_RATE_LIMIT=off to disable
  The dashboard is at / : admin password from env TOUCHLINE_ADMIN_PASSWORD or \`touchline admin set-password\`;
  env TOUCHLINE_SECURE_COOKIES=always|never|auto (default auto: Secure when the request came over https).`;

function portFrom(value: string | undefined): number {
  if (value === undefined) return 8710;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`serve: --port must be an integer 0-65535, got "${value}"`);
  return port;
}

function secureCookiesFrom(value: string | undefined): 'auto' | 'always' | 'never' {
  if (value === undefined || value === '' || value === 'auto' || value === 'always' || value === 'never')
    return (value || 'auto') as 'auto' | 'always' | 'never';
  throw new UsageError(`serve: TOUCHLINE_SECURE_COOKIES must be auto, always or never, got "${value}"`);
}

function readsModeFrom(value: string | undefined): 'thread' | 'inline' | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'thread' || value === 'inline') return value;
  throw new UsageError(`serve: TOUCHLINE_READS must be thread or inline, got "${value}"`);
}

function niceFrom(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 19)
    throw new UsageError(`serve: TOUCHLINE_READ_THREAD_NICE must be an integer 0-19, got "${value}"`);
  return n;
}

function positiveFrom(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`serve: ${flag} must be a positive integer, got "${value}"`);
  return n;
}

/** A whole number of milliseconds (0 or more, at most a day), or undefined for the default. */
function msFrom(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 86_400_000)
    throw new UsageError(`serve: ${name} must be a whole number of milliseconds (0-86400000), got "${value}"`);
  return n;
}

/** N days (at least `min`), `forever` (null: never pruned or compacted), or undefined for the default. */
function keepDaysFrom(flag: string, value: string | undefined, min: number): number | null | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'forever') return null;
  const n = Number(value);
  const what = min === 0 ? 'a whole number of days (0 or more)' : 'a positive integer';
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`serve: ${flag} must be ${what} or "forever", got "${value}"`);
  return n;
}

const MIB = 1024 * 1024;

function defaultStop(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      'alert-webhook': { type: 'string' },
      'retention-days': { type: 'string' },
      'inbox-keep-days': { type: 'string' },
      'inbox-payload-keep-days': { type: 'string' },
      'worker-lease-ms': { type: 'string' },
      'read-threads': { type: 'string' },
      'wal-limit-mb': { type: 'string' },
      'min-free-disk-mb': { type: 'string' },
    },
  });
  const port = portFrom(values.port ?? io.env.TOUCHLINE_PORT);
  const host = values.host ?? io.env.TOUCHLINE_HOST ?? '127.0.0.1';
  const leaseMs = positiveFrom('--worker-lease-ms', values['worker-lease-ms'] ?? io.env.TOUCHLINE_WORKER_LEASE_MS);
  const retentionDays =
    positiveFrom('--retention-days', values['retention-days'] ?? io.env.TOUCHLINE_RETENTION_DAYS) ?? null;
  const readThreads = positiveFrom('--read-threads', values['read-threads'] ?? io.env.TOUCHLINE_READ_THREADS);
  const readsMode = readsModeFrom(io.env.TOUCHLINE_READS);
  const readNice = niceFrom(io.env.TOUCHLINE_READ_THREAD_NICE);
  const inboxKeepDays = keepDaysFrom(
    '--inbox-keep-days',
    values['inbox-keep-days'] ?? io.env.TOUCHLINE_INBOX_KEEP_DAYS,
    1,
  );
  const inboxPayloadKeepDays = keepDaysFrom(
    '--inbox-payload-keep-days',
    values['inbox-payload-keep-days'] ?? io.env.TOUCHLINE_INBOX_PAYLOAD_KEEP_DAYS,
    0,
  );
  const walLimitMb = positiveFrom('--wal-limit-mb', values['wal-limit-mb'] ?? io.env.TOUCHLINE_WAL_LIMIT_MB);
  const minFreeMb = positiveFrom('--min-free-disk-mb', values['min-free-disk-mb'] ?? io.env.TOUCHLINE_MIN_FREE_DISK_MB);
  const firstPassAfterMs = msFrom(
    'TOUCHLINE_INTEGRITY_FIRST_PASS_AFTER_MS',
    io.env.TOUCHLINE_INTEGRITY_FIRST_PASS_AFTER_MS,
  );
  const disk = {
    ...(walLimitMb === undefined ? {} : { walLimitBytes: walLimitMb * MIB }),
    ...(minFreeMb === undefined ? {} : { minFreeBytes: minFreeMb * MIB }),
  };
  const db = databaseFrom(values.db, io.env);
  const webhookUrl = values['alert-webhook'] ?? io.env.TOUCHLINE_ALERT_WEBHOOK;
  const metricsToken = io.env.TOUCHLINE_METRICS_TOKEN || undefined;
  const target = parseStorageUrl(db);
  const rateLimit = rateLimitFromEnv(io.env);
  // The collector's settings and the storage hold the WAL to the same bound.
  const storage = openStorage(db, { walLimitBytes: disk.walLimitBytes });
  let collector: ReturnType<typeof createCollector>;
  try {
    collector = createCollector({
      storage,
      // A SQLite file lets the inbox worker run on its own thread and connection. On PostgreSQL it runs
      // inline: PostgreSQL scales out by running several collector processes on one database instead.
      databasePath: target.dialect === 'sqlite' ? target.path : undefined,
      // Queries run on read threads that reopen the same database (see "Reads" in the README).
      databaseUrl: target.dialect === 'postgres' ? target.url : undefined,
      settings: {
        port,
        host,
        retentionDays,
        ...(inboxKeepDays === undefined ? {} : { inboxKeepDays }),
        ...(inboxPayloadKeepDays === undefined ? {} : { inboxPayloadKeepDays }),
        ...(metricsToken === undefined ? {} : { metricsToken }),
        disk,
        ...(leaseMs === undefined ? {} : { worker: { leaseMs } }),
        reads: {
          ...(readThreads === undefined ? {} : { threads: readThreads }),
          ...(readsMode === undefined ? {} : { mode: readsMode }),
          ...(readNice === undefined ? {} : { threadNice: readNice }),
        },
        ...(rateLimit ? { rateLimit } : {}),
        integrity: {
          ...(webhookUrl === undefined || webhookUrl === '' ? {} : { webhookUrl }),
          ...(firstPassAfterMs === undefined ? {} : { firstPassAfterMs }),
        },
      },
      onError: (error) => {
        io.stderr.write(`[touchline] ${error.message}\n`);
      },
      onMigration: (step) => {
        const line = migrationProgressLine(step);
        if (line !== null) io.stdout.write(`${line}\n`);
      },
      // Both edges of a storage fault reach the log: when ingest starts answering 503 and when it stops.
      onStorageHealth: (fault) => {
        io.stderr.write(
          fault === null
            ? '[touchline] storage recovered: ingest accepts items again\n'
            : `[touchline] storage unavailable, ingest answers 503 until it recovers: ${fault.reason}\n`,
        );
      },
    });
  } catch (error) {
    // Bad settings (e.g. --alert-webhook): release the database before reporting them.
    await storage.close();
    throw error;
  }
  registerDashboard(collector.app, {
    storage,
    reads: collector.reads,
    settings: {
      adminPassword: io.env.TOUCHLINE_ADMIN_PASSWORD || undefined,
      secureCookies: secureCookiesFrom(io.env.TOUCHLINE_SECURE_COOKIES),
    },
  });
  const stop = io.stopSignal ?? defaultStop();
  const { url } = await collector.start();
  io.stdout.write(
    `Touchline collector listening on ${url} (database ${target.dialect === 'postgres' ? redactUrl(db) : db})\n`,
  );
  await stop;
  io.stdout.write('Shutting down: finishing requests and the current worker pass...\n');
  await collector.close();
  return 0;
}
