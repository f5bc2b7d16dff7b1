// Prometheus metrics of one collector, in its own registry (no global default registry).
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Storage } from '@touchline/storage';

export interface CollectorMetrics {
  registry: Registry;
  ingested: Counter<'type'>;
  duplicates: Counter;
  rejected: Counter<'reason'>;
  processed: Counter<'outcome'>;
  /** Counts one answered HTTP request; added to touchline_http_requests_total when it is scraped. */
  countRequest(route: string, status: number): void;
}

interface RequestTally { route: string; status: string; count: number; reported: number }

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
  // Per-request counting is a Map increment: prom-client hashes the label object on every inc
  // (~1 µs, on every ingest request); the tallies reach the counter when it is collected.
  const tallies = new Map<string, RequestTally>();
  new Counter({
    name: 'touchline_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers: [registry],
    collect() {
      for (const t of tallies.values()) {
        if (t.count > t.reported) this.inc({ route: t.route, status: t.status }, t.count - t.reported);
        t.reported = t.count;
      }
    },
  });
  return {
    registry,
    ingested: new Counter({ name: 'touchline_ingested_items_total', help: 'Items accepted into the inbox', labelNames: ['type'], registers: [registry] }),
    duplicates: new Counter({ name: 'touchline_duplicate_items_total', help: 'Items already stored (retries), acknowledged again', registers: [registry] }),
    rejected: new Counter({ name: 'touchline_rejected_total', help: 'Requests or items rejected, by reason', labelNames: ['reason'], registers: [registry] }),
    processed: new Counter({ name: 'touchline_processed_items_total', help: 'Inbox rows processed by workers', labelNames: ['outcome'], registers: [registry] }),
    countRequest(route, status) {
      const id = `${status} ${route}`;
      const tally = tallies.get(id);
      if (tally === undefined) tallies.set(id, { route, status: String(status), count: 1, reported: 0 });
      else tally.count += 1;
    },
  };
}
