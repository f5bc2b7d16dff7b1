// Prometheus metrics of the integrity monitor, registered on the collector's own registry.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface IntegrityMetrics {
  /** 0 ok, 1 warn, 2 alert, per account (name) and check id. */
  state: Gauge<'account' | 'check'>;
  /** Monitor passes by outcome: `ok` or `error` (an account failed to evaluate). */
  passes: Counter<'outcome'>;
  /** Webhook notices by outcome: `delivered`, `retried` (one failed attempt), `failed` (given up), `dropped` (queue full). */
  webhook: Counter<'outcome'>;
  /** 0 ok, 1 warn, 2 alert per disk check (`wal_size`, `free_disk`). */
  disk: Gauge<'check'>;
}

export const STATE_VALUE = { ok: 0, warn: 1, alert: 2 } as const;

export function createIntegrityMetrics(registry: Registry): IntegrityMetrics {
  return {
    state: new Gauge({
      name: 'touchline_integrity_state',
      help: 'Latest integrity check state per account: 0 ok, 1 warn, 2 alert',
      labelNames: ['account', 'check'],
      registers: [registry],
    }),
    passes: new Counter({
      name: 'touchline_integrity_passes_total',
      help: 'Integrity monitor passes by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    disk: new Gauge({
      name: 'touchline_disk_state',
      help: 'Latest disk check state: 0 ok, 1 warn, 2 alert',
      labelNames: ['check'],
      registers: [registry],
    }),
    webhook: new Counter({
      name: 'touchline_alert_webhook_total',
      help: 'Alert webhook notices and attempts by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
