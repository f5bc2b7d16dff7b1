// Prometheus metrics of one collector, in its own registry (no global default registry).
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Storage } from '@touchline/storage';

export interface CollectorMetrics {
  registry: Registry;
  /** Counts items of one type accepted into the inbox (touchline_ingested_items_total, added at scrape). */
  countIngested(type: string, count: number): void;
  duplicates: Counter;
  rejected: Counter<'reason'>;
  processed: Counter<'outcome'>;
  /** Counts one answered HTTP request; added to touchline_http_requests_total when it is scraped. */
  countRequest(route: string, status: number): void;
}

interface Tally<L extends string> { labels: Record<L, string>; count: number; reported: number }

/**
 * A counter fed from Map tallies when the registry collects it: counting on the ingest path is a Map
 * update, while prom-client's inc hashes the label object on every call (~1 µs per request).
 * Label values come from small fixed sets (route patterns, statuses, item types), so the Map stays small.
 */
function talliedCounter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): (key: string, labels: () => Record<L, string>, count: number) => void {
  const tallies = new Map<string, Tally<L>>();
  new Counter({
    name, help, labelNames, registers: [registry],
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

export function createCollectorMetrics(storage: Storage, now: () => number): CollectorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'touchline_process_' });
  const inboxHealth = () => storage.inboxHealth();
  new Gauge({
    name: 'touchline_inbox_depth', help: 'Inbox rows waiting for a worker', registers: [registry],
    async collect() { this.set((await inboxHealth()).pending); },
  });
  new Gauge({
    name: 'touchline_inbox_dead', help: 'Inbox rows dead-lettered', registers: [registry],
    async collect() { this.set((await inboxHealth()).dead); },
  });
  new Gauge({
    name: 'touchline_worker_lag_seconds', help: 'Age of the oldest inbox row not yet processed', registers: [registry],
    async collect() {
      const oldest = (await inboxHealth()).oldestPendingAt;
      this.set(oldest === null ? 0 : Math.max(0, (now() - oldest) / 1000));
    },
  });
  const countRequests = talliedCounter(registry, 'touchline_http_requests_total', 'HTTP requests by route and status', ['route', 'status']);
  const countIngested = talliedCounter(registry, 'touchline_ingested_items_total', 'Items accepted into the inbox', ['type']);
  return {
    registry,
    duplicates: new Counter({ name: 'touchline_duplicate_items_total', help: 'Items already stored (retries), acknowledged again', registers: [registry] }),
    rejected: new Counter({ name: 'touchline_rejected_total', help: 'Requests or items rejected, by reason', labelNames: ['reason'], registers: [registry] }),
    processed: new Counter({ name: 'touchline_processed_items_total', help: 'Inbox rows processed by workers', labelNames: ['outcome'], registers: [registry] }),
    countRequest: (route, status) => countRequests(`${status} ${route}`, () => ({ route, status: String(status) }), 1),
    countIngested: (type, count) => countIngested(type, () => ({ type }), count),
  };
}
