// createSdkHealthRecorder: keeps the latest sdk.health report per SDK instance in memory and writes them to storage in the background.
import type { SdkHealth } from '@touchline/core';
import type { SdkHealthReport, Storage } from '@touchline/storage';
import { IntegrityError } from './integrity-error.js';

export interface SdkHealthRecorderDeps {
  storage: Storage;
  now: () => number;
  flushMs: number;
  onError: (error: Error) => void;
  /** Distinct instances held between flushes; reports of further ones wait for the next flush's room. @default 10000 */
  maxPending?: number;
}

export interface SdkHealthRecorder {
  /**
   * Notes one batch's health report and the sender's clock offset its sent_at showed (ms, positive:
   * ahead); O(1), never touches storage, never throws.
   */
  record(accountId: string, sdk: { name: string; version: string }, health: SdkHealth, clockOffsetMs?: number): void;
  /** Writes what is pending now (one transaction). */
  flush(): Promise<void>;
  start(): void;
  /** Stops the timer and writes what is pending. */
  stop(): Promise<void>;
}

/**
 * Ingest must not pay a write per batch for this: a report only replaces the previous one of its
 * instance in a Map, and a timer writes the Map's contents every flushMs (the counters are
 * cumulative, so only the latest matters).
 */
export function createSdkHealthRecorder(deps: SdkHealthRecorderDeps): SdkHealthRecorder {
  const maxPending = deps.maxPending ?? 10_000;
  let pending = new Map<string, SdkHealthReport>();
  const state = { timer: null as NodeJS.Timeout | null, writing: Promise.resolve(), overflowReported: false };

  function flush(): Promise<void> {
    if (pending.size === 0) return state.writing;
    const reports = [...pending.values()];
    pending = new Map();
    state.writing = state.writing
      .then(() => deps.storage.recordSdkHealth(reports))
      .catch((error: unknown) => {
        deps.onError(
          new IntegrityError(
            'sdk_health_failed',
            `sdk health: writing ${reports.length} report(s) failed: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          ),
        );
      });
    return state.writing;
  }

  return {
    record(accountId, sdk, health, clockOffsetMs = 0) {
      const key = `${accountId}\u0000${health.instance_id}`;
      if (!pending.has(key) && pending.size >= maxPending) {
        if (!state.overflowReported)
          deps.onError(
            new IntegrityError(
              'sdk_health_failed',
              `sdk health: more than ${maxPending} SDK instances reported within ${deps.flushMs} ms; further reports wait for the next flush`,
            ),
          );
        state.overflowReported = true;
        return;
      }
      state.overflowReported = false;
      const before = pending.get(key);
      // Cumulative counters: concurrent batches may arrive out of order, the larger value is the later one.
      const max = (a: number, b: number | undefined): number => Math.max(a, b ?? 0);
      pending.set(key, {
        accountId,
        instanceId: health.instance_id,
        reportedAt: deps.now(),
        sdk: `${sdk.name}/${sdk.version}`.slice(0, 100),
        delivered: max(health.delivered, before?.delivered),
        retries: max(health.retries, before?.retries),
        authFailures: max(health.auth_failures, before?.authFailures),
        dropped: max(health.dropped, before?.dropped),
        navigations: max(health.navigations, before?.navigations),
        botNavigations: max(health.bot_navigations, before?.botNavigations),
        // The largest skew in magnitude since the last flush: one skewed batch is enough to show.
        clockOffsetMs:
          Math.abs(before?.clockOffsetMs ?? 0) > Math.abs(clockOffsetMs) ? before?.clockOffsetMs : clockOffsetMs,
      });
    },
    flush,
    start() {
      if (state.timer !== null) return;
      state.timer = setInterval(() => {
        void flush();
      }, deps.flushMs);
      state.timer.unref();
    },
    async stop() {
      if (state.timer !== null) clearInterval(state.timer);
      state.timer = null;
      await flush();
    },
  };
}
