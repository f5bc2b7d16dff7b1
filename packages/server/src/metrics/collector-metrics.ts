// Prometheus metrics of one collector, in its own registry (no global default registry).
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { DiskUsage, Storage } from '@touchline/storage';

export interface CollectorMetrics {
  registry: Registry;
  /** Counts items of one type accepted into the inbox (touchline_ingested_items_total, added at scrape). */
  countIngested(type: string, count: number): void;
  duplicates: Counter;
  rejected: Counter<'reason'>;
  processed: Counter<'outcome'>;
  /** Counts one answered HTTP request; added to touchline_http_requests_total when it is scraped. */
  countRequest(route: string, status: number): void;
  /** Counts the items of a batch whose sender's clock was off (corrected, or too far to correct). */
  senderClock(verdict: 'corrected' | 'too_far', items: number): void;
}

interface Tally<L extends string> {
  labels: Record<L, string>;
  count: number;
  reported: number;
}

/**
 * A counter fed from Map tallies when the registry collects it: counting on the ingest path is a Map
 * update, while prom-client's inc hashes the label object on every call (~1 µs per request).
 * Label values come from small fixed sets (route patterns, statuses, item types), so the Map stays small.
 */
function talliedCounter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
): (key: string, labels: () => Record<L, string>, count: number) => void {
  const tallies = new Map<string, Tally<L>>();
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      for (const t of tallies.values()) {
        if (t.count > t.reported) this.inc(t.labels, t.count - t.reported);
        t.reported = t.count;
      }
    },
  });
  return (key, labels, count) => {
    const tally = tallies.get(key);
    if (tally === undefined) tallies.set(key, { labels: labels(), count, reported: 0 });
    else tally.count += count;
  };
}

/**
 * Disk use (DESIGN.md L13), read from storage at scrape time: a few stat calls. Checkpoint outcomes
 * are cumulative counts kept by the checkpointer thread; the counters add what grew since the last scrape.
 */
function registerDiskMetrics(registry: Registry, storage: Storage): void {
  // Each metric reads on its own: a read is a few stat calls, and a shared one could go stale between scrapes.
  const read = (): Promise<DiskUsage> => storage.diskUsage();
  const gauge = (name: string, help: string, pick: (u: DiskUsage) => number | null | undefined): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const value = pick(await read());
        if (value !== null && value !== undefined) this.set(value);
      },
    });
  };
  gauge(
    'touchline_storage_database_bytes',
    'Size of the database (SQLite: the main file; PostgreSQL: pg_database_size)',
    (u) => u.databaseBytes,
  );
  gauge('touchline_storage_wal_bytes', 'Size of the SQLite write-ahead log file', (u) => u.walBytes);
  gauge(
    'touchline_storage_wal_limit_bytes',
    'Bound of the SQLite write-ahead log (writes wait beyond it)',
    (u) => u.walLimitBytes,
  );
  gauge('touchline_storage_free_bytes', 'Free space on the file system of the SQLite database', (u) => u.freeBytes);
  gauge(
    'touchline_wal_checkpoint_max_hold_seconds',
    'Longest time one RESTART checkpoint took, lock wait included (writers waited at most this)',
    (u) => (u.checkpoints ? u.checkpoints.maxHoldMs / 1000 : null),
  );
  const reported: Record<string, number> = {};
  new Counter({
    name: 'touchline_wal_checkpoints_total',
    help: 'SQLite WAL checkpoints by outcome: passive, complete (log restarted), busy (a reader outlived the wait), failed',
    labelNames: ['outcome'],
    registers: [registry],
    async collect() {
      const counts = (await read()).checkpoints;
      if (counts === null) return;
      for (const outcome of ['passive', 'complete', 'busy', 'failed'] as const) {
        const grew = counts[outcome] - (reported[outcome] ?? 0);
        this.inc({ outcome }, Math.max(0, grew));
        reported[outcome] = counts[outcome];
      }
    },
  });
  new Counter({
    name: 'touchline_wal_checkpoint_hold_seconds_total',
    help: 'Total time RESTART checkpoints took, lock wait included (an upper bound of the time writers waited for them)',
    registers: [registry],
    async collect() {
      const counts = (await read()).checkpoints;
      if (counts === null) return;
      const grew = counts.totalHoldMs - (reported.hold ?? 0);
      this.inc(Math.max(0, grew) / 1000);
      reported.hold = counts.totalHoldMs;
    },
  });
}

export function createCollectorMetrics(storage: Storage, now: () => number): CollectorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'touchline_process_' });
  const inboxHealth = () => storage.inboxHealth();
  new Gauge({
    name: 'touchline_inbox_depth',
    help: 'Inbox rows waiting for a worker',
    registers: [registry],
    async collect() {
      this.set((await inboxHealth()).pending);
    },
  });
  new Gauge({
    name: 'touchline_inbox_dead',
    help: 'Inbox rows dead-lettered',
    registers: [registry],
    async collect() {
      this.set((await inboxHealth()).dead);
    },
  });
  new Gauge({
    name: 'touchline_worker_lag_seconds',
    help: 'Age of the oldest inbox row not yet processed',
    registers: [registry],
    async collect() {
      const oldest = (await inboxHealth()).oldestPendingAt;
      this.set(oldest === null ? 0 : Math.max(0, (now() - oldest) / 1000));
    },
  });
  registerDiskMetrics(registry, storage);
  const countRequests = talliedCounter(registry, 'touchline_http_requests_total', 'HTTP requests by route and status', [
    'route',
    'status',
  ]);
  const countIngested = talliedCounter(registry, 'touchline_ingested_items_total', 'Items accepted into the inbox', [
    'type',
  ]);
  const countSkewed = talliedCounter(
    registry,
    'touchline_sender_clock_skewed_items_total',
    "Items of batches whose sent_at showed the sender's clock off by more than clockToleranceMs: corrected, or too_far (beyond maxClockCorrectionMs)",
    ['verdict'],
  );
  return {
    registry,
    duplicates: new Counter({
      name: 'touchline_duplicate_items_total',
      help: 'Items already stored (retries), acknowledged again',
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'touchline_rejected_total',
      help: 'Requests or items rejected, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    processed: new Counter({
      name: 'touchline_processed_items_total',
      help: 'Inbox rows processed by workers',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    countRequest: (route, status) => countRequests(`${status} ${route}`, () => ({ route, status: String(status) }), 1),
    countIngested: (type, count) => countIngested(type, () => ({ type }), count),
    senderClock: (verdict, items) => countSkewed(verdict, () => ({ verdict }), items),
  };
}
