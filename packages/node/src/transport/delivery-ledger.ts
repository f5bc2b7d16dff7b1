// Counts and announces what happened to items: delivered, dropped (by reason), retried, auth failures.
import type { TouchlineEvents, TypedEmitter } from '../client/client-events.js';
import type { TransportStats } from './transport.js';

export type LedgerCounters = Omit<TransportStats, 'queued' | 'inFlight'>;

export interface DeliveryLedger {
  delivered(payload: TouchlineEvents['delivered']): void;
  /** Counts and emits the drop; `error`, when given, goes to onError / the 'error' event. */
  dropped(count: number, reason: string, error?: Error): void;
  retried(payload: TouchlineEvents['retry']): void;
  /** Every 401/403 answer is counted; `payload` is emitted for the batch that probes. */
  authFailed(payload: TouchlineEvents['auth_failed'] | null, error?: Error): void;
  report(error: Error): void;
  counters(): LedgerCounters;
}

/**
 * `onError`, when given, is the one sink for failures and owns the 'error' event (the client's
 * reporter emits it and calls the user's handler); without it the ledger emits 'error' itself.
 * Either way a throwing handler or listener never reaches delivery or the host.
 */
export function createDeliveryLedger(emitter: TypedEmitter, onError?: (error: Error) => void): DeliveryLedger {
  const counts = { delivered: 0, retries: 0, authFailures: 0 };
  const dropped: Record<string, number> = {};

  const emit = <K extends keyof TouchlineEvents>(name: K, payload: TouchlineEvents[K]): void => {
    try {
      emitter.emit(name, payload);
    } catch {
      /* observability must not break delivery */
    }
  };
  const report = (error: Error): void => {
    if (onError === undefined) {
      emit('error', { error });
      return;
    }
    try {
      onError(error);
    } catch {
      /* the host's handler must not break delivery */
    }
  };

  return {
    delivered(payload) {
      counts.delivered += payload.items;
      emit('delivered', payload);
    },
    dropped(count, reason, error) {
      if (count <= 0) return;
      dropped[reason] = (dropped[reason] ?? 0) + count;
      emit('dropped', { count, reason });
      if (error) report(error);
    },
    retried(payload) {
      counts.retries += 1;
      emit('retry', payload);
    },
    authFailed(payload, error) {
      counts.authFailures += 1;
      if (payload) emit('auth_failed', payload);
      if (error) report(error);
    },
    report,
    counters: () => ({ ...counts, dropped: { ...dropped } }),
  };
}
