// createAlertWebhook: POSTs integrity alert / recovery notices to a URL, in the background, with bounded retries.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Account } from '@touchline/storage';
import { IntegrityError } from './integrity-error.js';
import type { IntegrityMetrics } from './integrity-metrics.js';
import type { IntegrityTransition } from './integrity-transitions.js';
import { decideWebhookRetry, type WebhookRetryPolicy } from './webhook-retry.js';

/** The JSON body of one notice. `id` is unique per notice and the same on every retry of it. */
export interface AlertNotice {
  id: string;
  type: 'integrity.alert' | 'integrity.recovered';
  account: { id: string; name: string };
  check: {
    id: string;
    title: string;
    state: string;
    previous_state: string;
    value: number | null;
    unit: string;
    window: string;
    note: string | null;
  };
  checked_at: string;
}

export interface AlertWebhookDeps {
  url: string;
  policy: WebhookRetryPolicy;
  timeoutMs: number;
  metrics: IntegrityMetrics;
  onError: (error: Error) => void;
  fetch?: typeof fetch;
  /** Notices waiting beyond this are dropped (and reported): a dead endpoint must not grow memory. @default 1000 */
  maxPending?: number;
}

export interface AlertWebhook {
  /** Queues one notice per transition; never throws, never waits. */
  notify(account: Account, transitions: readonly IntegrityTransition[], checkedAt: number): void;
  /** Resolves when every queued notice is delivered or given up. */
  drain(): Promise<void>;
  /** Abandons waits and open requests; notices not yet delivered are reported as failed. */
  stop(): Promise<void>;
}

export function alertNotice(account: Account, t: IntegrityTransition, checkedAt: number): AlertNotice {
  const c = t.check;
  return {
    id: randomUUID(),
    type: t.kind === 'alert' ? 'integrity.alert' : 'integrity.recovered',
    account: { id: account.id, name: account.name },
    check: {
      id: c.id,
      title: c.title,
      state: c.state,
      previous_state: t.previousState,
      value: c.value,
      unit: c.unit,
      window: c.window,
      note: c.note,
    },
    checked_at: new Date(checkedAt).toISOString(),
  };
}

/** Notices go out one at a time, in order, on their own async loop: nothing here is ever awaited by ingest. */
export function createAlertWebhook(deps: AlertWebhookDeps): AlertWebhook {
  const doFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const maxPending = deps.maxPending ?? 1000;
  const queue: AlertNotice[] = [];
  const abort = new AbortController();
  const state = { loop: null as Promise<void> | null, stopped: false };

  const fail = (notice: AlertNotice, reason: string): void => {
    deps.metrics.webhook.inc({ outcome: 'failed' });
    deps.onError(
      new IntegrityError(
        'webhook_failed',
        `alert webhook ${deps.url}: notice ${notice.id} (${notice.type} ${notice.check.id}, account "${notice.account.name}") given up: ${reason}`,
      ),
    );
  };

  async function attempt(notice: AlertNotice): Promise<number | null> {
    try {
      const res = await doFetch(deps.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-touchline-delivery': notice.id,
          'user-agent': 'touchline-integrity-webhook',
        },
        body: JSON.stringify(notice),
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(deps.timeoutMs)]),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch {
      return null;
    }
  }

  async function deliver(notice: AlertNotice): Promise<void> {
    for (let n = 1; !state.stopped; n++) {
      const decision = decideWebhookRetry({ status: await attempt(notice), attempt: n }, deps.policy);
      if (decision.kind === 'delivered') {
        deps.metrics.webhook.inc({ outcome: 'delivered' });
        return;
      }
      if (decision.kind === 'give_up') return fail(notice, decision.reason);
      deps.metrics.webhook.inc({ outcome: 'retried' });
      await sleep(decision.delayMs, undefined, { signal: abort.signal, ref: false }).catch(() => undefined);
    }
    fail(notice, 'the collector stopped first');
  }

  async function run(): Promise<void> {
    for (let notice = queue.shift(); notice !== undefined; notice = queue.shift()) await deliver(notice);
  }

  const kick = (): void => {
    state.loop ??= run()
      .catch((error: unknown) => deps.onError(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        state.loop = null;
        if (queue.length > 0 && !state.stopped) kick();
      });
  };

  return {
    notify(account, transitions, checkedAt) {
      if (state.stopped) return;
      for (const t of transitions) {
        const notice = alertNotice(account, t, checkedAt);
        if (queue.length >= maxPending) {
          deps.metrics.webhook.inc({ outcome: 'dropped' });
          deps.onError(
            new IntegrityError(
              'webhook_queue_full',
              `alert webhook ${deps.url}: ${maxPending} notices already waiting; dropped ${notice.type} ${notice.check.id} for account "${account.name}"`,
            ),
          );
          continue;
        }
        queue.push(notice);
      }
      if (queue.length > 0) kick();
    },
    async drain() {
      while (state.loop !== null) await state.loop;
    },
    async stop() {
      state.stopped = true;
      abort.abort();
      await state.loop;
      for (const notice of queue.splice(0)) fail(notice, 'the collector stopped first');
    },
  };
}
