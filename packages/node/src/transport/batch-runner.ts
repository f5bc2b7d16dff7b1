// Drives one batch through attempts until it is acknowledged, dropped, split or parked: a short loop around decideRetry.
import type { ItemError } from '@touchline/core';
import type { RetrySettings } from '../client-settings.js';
import type { Acknowledged, AttemptOutcome, Failed } from './attempt-outcome.js';
import type { AuthGate } from './auth-gate.js';
import { splitInHalves, type QueuedItem } from './batch-cutter.js';
import { decideRetry } from './decide-retry.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import { newBatch, type InFlightBatch } from './in-flight-batch.js';
import type { TimerSet } from './timer-set.js';
import { TransportError } from './transport-errors.js';

export type RunEnd =
  | { kind: 'settled' }
  | { kind: 'parked' }
  | { kind: 'split'; halves: [InFlightBatch, InFlightBatch] };

type Step = RunEnd | { kind: 'wait'; delayMs: number };

const settled = (): RunEnd => ({ kind: 'settled' });
const parked = (): RunEnd => ({ kind: 'parked' });
const wait = (delayMs: number): Step => ({ kind: 'wait', delayMs });

export interface BatchRunnerDeps {
  send(entries: readonly QueuedItem[]): Promise<AttemptOutcome>;
  now(): number;
  random(): number;
  policy: RetrySettings;
  timers: TimerSet;
  ledger: DeliveryLedger;
  auth: AuthGate<InFlightBatch>;
}

export function createBatchRunner(deps: BatchRunnerDeps): (batch: InFlightBatch) => Promise<RunEnd> {
  const { ledger } = deps;

  /** Items the collector refused one by one are dropped; the rest of the batch is delivered. */
  function acknowledge(batch: InFlightBatch, outcome: Acknowledged): Step {
    deps.auth.answered(batch, true);
    const count = batch.entries.length;
    const rejected = new Map<number, ItemError>();
    for (const error of outcome.response.errors) {
      if (error.index < count) rejected.set(error.index, error);
      else
        ledger.report(
          new TransportError('bad_response', `collector reported item index ${error.index} of a ${count}-item batch`, {
            status: outcome.status,
            batchId: outcome.batchId,
          }),
        );
    }
    for (const [index, error] of rejected) {
      const itemId = batch.entries[index]?.id ?? error.id ?? undefined;
      ledger.report(
        new TransportError('rejected', `item ${itemId} rejected by the collector: ${error.code}: ${error.message}`, {
          status: outcome.status,
          batchId: outcome.batchId,
          itemId,
          items: 1,
        }),
      );
    }
    ledger.dropped(rejected.size, 'rejected');
    if (count > rejected.size) {
      ledger.delivered({
        batchId: outcome.batchId,
        items: count - rejected.size,
        duplicates: outcome.response.duplicates,
        attempt: batch.attempts,
      });
    }
    return settled();
  }

  function authFailure(batch: InFlightBatch, outcome: Failed, delayMs: number, attemptMs: number): Step {
    batch.authAttempts += 1;
    const { role, episodeStarted } = deps.auth.failed(batch);
    if (role === 'park') {
      ledger.authFailed(null);
      batch.authMs += attemptMs;
      return parked();
    }
    batch.authMs += attemptMs + delayMs;
    const status = outcome.status ?? 0;
    const error = episodeStarted
      ? new TransportError(
          'auth_failed',
          `${outcome.message}; items are kept and the key is probed again in ${delayMs} ms (check apiKey)`,
          { status, batchId: outcome.batchId },
        )
      : undefined;
    ledger.authFailed({ status, nextProbeMs: delayMs }, error);
    return wait(delayMs);
  }

  function afterFailure(batch: InFlightBatch, outcome: Failed, attemptMs: number): Step {
    const nowMs = deps.now();
    const decision = decideRetry(
      {
        status: outcome.status,
        headers: outcome.headers,
        error: outcome.error,
        attempt: batch.transientAttempts,
        authAttempt: batch.authAttempts,
        elapsedMs: nowMs - batch.createdAt - batch.authMs,
        items: batch.entries.length,
        nowMs,
      },
      deps.policy,
      deps.random,
    );
    if (decision.kind === 'probe_auth') return authFailure(batch, outcome, decision.delayMs, attemptMs);
    deps.auth.answered(batch, false);
    batch.authAttempts = 0;
    switch (decision.kind) {
      case 'retry':
        batch.transientAttempts += 1;
        ledger.retried({
          batchId: outcome.batchId,
          attempt: batch.attempts,
          delayMs: decision.delayMs,
          reason: decision.reason,
          status: outcome.status,
        });
        return wait(decision.delayMs);
      case 'split': {
        const [first, second] = splitInHalves(batch.entries);
        return { kind: 'split', halves: [newBatch(first, nowMs), newBatch(second, nowMs)] };
      }
      case 'drop': {
        const count = batch.entries.length;
        const why = decision.reason === 'retry_budget' ? `gave up after ${batch.attempts} attempts` : 'not retried';
        ledger.dropped(
          count,
          decision.reason,
          new TransportError(decision.reason, `${count} items dropped (${why}): ${outcome.message}`, {
            status: outcome.status,
            batchId: outcome.batchId,
            items: count,
          }),
        );
        return settled();
      }
    }
  }

  return async function runBatch(batch) {
    for (;;) {
      if (deps.auth.mustWait(batch)) {
        batch.parkedAt ??= deps.now();
        return parked();
      }
      if (batch.parkedAt !== null) {
        batch.authMs += deps.now() - batch.parkedAt;
        batch.parkedAt = null;
      }
      const startedAt = deps.now();
      const outcome = await deps.send(batch.entries);
      if (batch.abandoned) return settled();
      batch.attempts += 1;
      const step =
        outcome.kind === 'acknowledged'
          ? acknowledge(batch, outcome)
          : afterFailure(batch, outcome, deps.now() - startedAt);
      if (step.kind !== 'wait') {
        if (step.kind === 'parked') batch.parkedAt = deps.now();
        return step;
      }
      const slept = await deps.timers.sleep(step.delayMs);
      if (!slept || batch.abandoned) return settled();
    }
  };
}
