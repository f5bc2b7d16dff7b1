// createTransport: the bounded queue, batching by size and interval, at most maxInFlight requests, flush and close.
import { WIRE_LIMITS, type Item, type SdkHealth } from '@touchline/core';
import type { ClientSettings } from '../client-settings.js';
import type { TypedEmitter } from '../client/client-events.js';
import { createAuthGate } from './auth-gate.js';
import { envelopeBytes, type SdkInfo } from './batch-envelope.js';
import type { BatchLimits } from './batch-cutter.js';
import { createBatchRunner, type RunEnd } from './batch-runner.js';
import { createDeliveryLedger } from './delivery-ledger.js';
import { createDeliveryQueue } from './delivery-queue.js';
import { createFlushWaiters } from './flush-waiters.js';
import type { SpoolStore } from '../spool/spool-store.js';
import type { HttpPost } from './http-post.js';
import { countItems, newBatch, type InFlightBatch } from './in-flight-batch.js';
import { sendBatch } from './send-batch.js';
import { createSpooledQueue } from './spooled-queue.js';
import { createTimerSet, type Scheduler } from './timer-set.js';
import type { FlushResult, Transport, TransportStats } from './transport.js';
import { TransportError } from './transport-errors.js';

export interface TransportDeps {
  /** The HTTP client: global fetch fits, createHttpPost's is the client's default. */
  fetch: HttpPost;
  /** Epoch milliseconds; used for batch ids, sent_at, Retry-After dates and the retry budget. */
  now: () => number;
  emitter: TypedEmitter;
  /** Receives every failure. When given it owns the 'error' event; without it the transport emits 'error'. */
  onError?: (error: Error) => void;
  sdk: SdkInfo;
  /** Uniform in [0, 1), for backoff jitter. Injected for tests. @default Math.random */
  random?: () => number;
  /**
   * When given, every batch carries this instance's delivery health (sdk.health): the ledger's
   * counters plus the navigation counts `traffic` returns. @default not reported
   */
  health?: { instanceId: string; traffic: () => { navigations: number; botNavigations: number } };
  /** Every retry wait, flush interval and flush timeout is scheduled here. Injected for tests. @default the global timers */
  scheduler?: Scheduler;
  /**
   * An opened on-disk spool (the Node entry opens one from `settings.spool`). With it, every item
   * is on disk before enqueue returns, memory holds only `maxQueueItems` of them, transient
   * failures retry without a budget, and close leaves what is undelivered for the next process.
   * @default memory only
   */
  spool?: SpoolStore;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

const internalError = (error: unknown, where: string): TransportError =>
  new TransportError('internal_error', `unexpected failure in ${where}: ${asError(error).message}`, { cause: error });

/**
 * All state lives in the returned object. Items wait in a FIFO queue of at most `maxQueueItems`;
 * a batch is cut when the queue holds a full one, when the oldest item has waited
 * `batch.flushIntervalMs`, or on flush/close. Each of the `maxInFlight` slots carries one batch
 * through all its attempts, retry waits included, so an outage never fans out into more requests.
 *
 * `flush()` waits for the items enqueued before it (later ones do not prolong it). Because 401/403
 * never give up, a flush or close without `timeoutMs` waits as long as the key is refused: pass
 * one on shutdown paths. A close that times out aborts open requests and counts every item still
 * undelivered under `dropped.closed`, so delivered + dropped always adds up to what was enqueued.
 *
 * @example
 * const transport = createTransport(settings, { fetch, now: Date.now, emitter, sdk: { name: '@touchline/node', version } });
 * transport.enqueue(item);
 * await transport.close({ timeoutMs: 5_000 });
 */
export function createTransport(settings: ClientSettings, deps: TransportDeps): Transport {
  const limits: BatchLimits = {
    maxItems: settings.batch.maxItems,
    maxBytes: settings.batch.maxBytes,
    maxItemBytes: WIRE_LIMITS.maxItemBytes,
    envelopeBytes: envelopeBytes(deps.sdk, deps.health !== undefined),
  };
  const timers = createTimerSet(deps.scheduler);
  const ledger = createDeliveryLedger(deps.emitter, deps.onError);
  const shutdown = new AbortController();
  const { spool } = deps;
  const queue =
    spool === undefined
      ? createDeliveryQueue(limits, settings.maxQueueItems)
      : createSpooledQueue(limits, settings.maxQueueItems, spool);
  /** On disk, an outage costs bytes, not items: retrying forever is what the spool is for. */
  const policy =
    spool === undefined
      ? settings.retry
      : { ...settings.retry, maxAttempts: Number.MAX_SAFE_INTEGER, budgetMs: Number.MAX_SAFE_INTEGER };
  /** Formed batches waiting for a slot: 413 halves and batches parked behind an auth probe. */
  const ready: InFlightBatch[] = [];
  /** One entry per slot in use: sending, or waiting to retry. */
  const active = new Set<InFlightBatch>();
  const state = {
    closing: false,
    shutDown: false,
    cancelFlushTimer: null as (() => void) | null,
    closeResult: null as Promise<FlushResult> | null,
  };
  const reportedOnce = new Set<'closed' | 'queue_full' | 'spool_full' | 'spool_failed'>();

  const stats = (): TransportStats => ({
    queued: queue.length,
    inFlight: countItems(active) + countItems(ready),
    ...ledger.counters(),
    ...(spool === undefined ? {} : { spool: spool.stats() }),
  });
  const waiters = createFlushWaiters(timers, stats);
  const auth = createAuthGate<InFlightBatch>(() => queueMicrotask(pump));
  const url = `${settings.endpoint.replace(/\/+$/, '')}/api/v1/batch`;
  const { health } = deps;
  const healthNow =
    health === undefined
      ? undefined
      : (): SdkHealth => {
          const c = ledger.counters();
          const traffic = health.traffic();
          return {
            instance_id: health.instanceId,
            delivered: c.delivered,
            retries: c.retries,
            auth_failures: c.authFailures,
            dropped: Object.values(c.dropped).reduce((a, b) => a + b, 0),
            navigations: traffic.navigations,
            bot_navigations: traffic.botNavigations,
          };
        };
  const runBatch = createBatchRunner({
    send: (entries) =>
      sendBatch(entries, {
        fetch: deps.fetch,
        url,
        apiKey: settings.apiKey,
        sdk: deps.sdk,
        now: deps.now,
        timeoutMs: settings.requestTimeoutMs,
        shutdown: shutdown.signal,
        health: healthNow,
      }),
    now: deps.now,
    random: deps.random ?? Math.random,
    policy,
    timers,
    ledger,
    auth,
  });

  const lowestUnsettledSeq = (): number => {
    let lowest = queue.headSeq;
    for (const batch of [...active, ...ready]) {
      if (!batch.abandoned) lowest = Math.min(lowest, batch.entries[0]?.seq ?? Infinity);
    }
    return lowest;
  };

  function nextBatch(): InFlightBatch | undefined {
    const parked = ready.shift();
    if (parked !== undefined) return parked;
    for (let cut = queue.cutDue(); cut !== undefined; cut = queue.cutDue()) {
      if (queue.length < settings.maxQueueItems) reportedOnce.delete('queue_full');
      reportedOnce.delete('spool_full');
      reportedOnce.delete('spool_failed');
      // Enqueue already refuses items that cannot fit; this only guards that invariant.
      ledger.dropped(cut.tooLarge.length, 'too_large');
      if (cut.entries.length > 0) return newBatch(cut.entries, deps.now());
    }
    return undefined;
  }

  function armFlushTimer(): void {
    if (state.cancelFlushTimer !== null || state.shutDown || !queue.headWaiting) return;
    // Not holdable: a quiet queue must never keep the host process alive.
    state.cancelFlushTimer = timers.after(
      settings.batch.flushIntervalMs,
      () => {
        state.cancelFlushTimer = null;
        queue.markAllDue();
        pump();
      },
      { holdable: false },
    );
  }

  function start(batch: InFlightBatch): void {
    active.add(batch);
    runBatch(batch)
      .then(
        (end: RunEnd) => {
          active.delete(batch);
          if (batch.abandoned) return;
          if (end.kind === 'parked') ready.unshift(batch);
          if (end.kind === 'split') ready.unshift(...end.halves);
        },
        (error: unknown) => {
          active.delete(batch);
          if (batch.abandoned) return;
          const count = batch.entries.length;
          ledger.dropped(count, 'internal_error', internalError(error, `delivering a batch of ${count} items`));
        },
      )
      .finally(pump);
  }

  /** Starts what may start; called after every change. Never throws. */
  function pump(): void {
    if (state.shutDown) return;
    try {
      while (active.size < settings.maxInFlight && !auth.blocked) {
        const batch = nextBatch();
        if (batch === undefined) break;
        start(batch);
      }
      armFlushTimer();
    } catch (error) {
      ledger.report(internalError(error, 'pump'));
    }
    const lowest = lowestUnsettledSeq();
    try {
      queue.settled(lowest);
    } catch (error) {
      ledger.report(internalError(error, 'releasing spool segments'));
    }
    waiters.check(lowest);
  }

  /** Refusals reported once per episode: under load they would flood onError; stats still count each. */
  function refuse(
    reason: 'closed' | 'queue_full' | 'spool_full' | 'spool_failed' | 'unserializable' | 'too_large',
    message: string,
    itemId: string,
  ): void {
    const episodic =
      reason === 'closed' || reason === 'queue_full' || reason === 'spool_full' || reason === 'spool_failed';
    const report = !episodic || !reportedOnce.has(reason);
    if (episodic) reportedOnce.add(reason);
    const hint = episodic ? `; further drops are counted in stats().dropped.${reason}` : '';
    ledger.dropped(
      1,
      reason,
      report ? new TransportError(reason, `item dropped: ${message}${hint}`, { itemId, items: 1 }) : undefined,
    );
  }

  function enqueue(item: Item): void {
    try {
      if (state.closing) return refuse('closed', 'the transport is closed', item.id);
      const offer = queue.offer(item);
      if (offer.kind === 'refused') return refuse(offer.reason, offer.message, item.id);
      if (offer.fullBatchWaiting) pump();
      else armFlushTimer();
    } catch (error) {
      ledger.report(internalError(error, 'enqueue'));
    }
  }

  function flush(options: { timeoutMs?: number } = {}): Promise<FlushResult> {
    if (state.shutDown) return Promise.resolve({ settled: lowestUnsettledSeq() === Infinity, stats: stats() });
    queue.markAllDue();
    const result = waiters.wait(queue.lastSeq, options.timeoutMs);
    pump();
    return result;
  }

  /**
   * After close: whatever is still undelivered is counted as dropped, then nothing is left running.
   * With a spool it is not dropped: it stays on disk for the next process to adopt.
   */
  function shutDown(): void {
    const left = queue.length + countItems(active) + countItems(ready);
    if (spool !== undefined) {
      try {
        spool.close(left === 0);
      } catch (error) {
        ledger.report(internalError(error, 'closing the spool'));
      }
    }
    const lost = spool === undefined ? left : 0;
    state.shutDown = true;
    for (const batch of [...active, ...ready]) batch.abandoned = true;
    queue.clear();
    ready.length = 0;
    auth.reset();
    waiters.resolveAll(false);
    timers.clear();
    state.cancelFlushTimer = null;
    shutdown.abort();
    ledger.dropped(
      lost,
      'closed',
      lost === 0
        ? undefined
        : new TransportError('closed', `${lost} items were still undelivered when close() timed out`, { items: lost }),
    );
  }

  function close(options: { timeoutMs?: number } = {}): Promise<FlushResult> {
    if (state.closeResult !== null) return state.closeResult;
    state.closing = true;
    state.closeResult = flush(options).then((result) => {
      shutDown();
      return { settled: result.settled, stats: stats() };
    });
    return state.closeResult;
  }

  return { enqueue, flush, close, stats };
}
