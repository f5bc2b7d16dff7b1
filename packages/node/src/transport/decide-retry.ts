// What to do after a failed attempt: a pure decision over the attempt's facts and the retry policy.
import type { RetrySettings } from '../client-settings.js';
import type { FailureKind, HeaderLookup } from './attempt-outcome.js';
import { fullJitter } from './backoff.js';
import { parseRetryAfter } from './retry-after.js';

/** Why a batch is given up on after an answer from (or a failure to reach) the collector. */
export type RetryDropReason = 'rejected' | 'too_large' | 'retry_budget';

export type RetryDecision =
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'probe_auth'; delayMs: number }
  | { kind: 'split' }
  | { kind: 'drop'; reason: RetryDropReason };

export const retry = (delayMs: number, reason: string): RetryDecision => ({ kind: 'retry', delayMs, reason });
export const probeAuth = (delayMs: number): RetryDecision => ({ kind: 'probe_auth', delayMs });
export const split = (): RetryDecision => ({ kind: 'split' });
export const drop = (reason: RetryDropReason): RetryDecision => ({ kind: 'drop', reason });

export interface RetryInput {
  /** HTTP status of the answer; null when none arrived. */
  status: number | null;
  headers: HeaderLookup | null;
  /** Set when the status alone does not tell (no answer, or an answer that is not ours). */
  error: FailureKind | null;
  /** 0-based index of this attempt among the batch's transient attempts (auth probes excluded). */
  attempt: number;
  /** 0-based index of this attempt among the batch's consecutive 401/403 answers. */
  authAttempt: number;
  /** Time the batch has spent on transient failures so far (time waiting out 401/403 excluded). */
  elapsedMs: number;
  /** Items in the batch: a 413 on more than one can be split, on one it cannot. */
  items: number;
  /** Current time, to read a Retry-After given as an HTTP date. */
  nowMs: number;
}

/** 4xx answers that say "this request will never succeed"; 408 and 429 say "not now". */
function isPermanent(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function retryAfter(input: RetryInput): number | null {
  return parseRetryAfter(input.headers?.get('retry-after'), input.nowMs);
}

/**
 * Pure. 401/403 never end in a drop (DESIGN L5: a collector that has not loaded its keys yet
 * must not make the SDK give up); they back off up to `authProbeMaxDelayMs` and outside the
 * transient budget. Everything that may succeed later (408, 429, 5xx, no answer, a crossed or
 * unreadable reply) retries with full jitter or the server's Retry-After, until `maxAttempts`
 * attempts were made or the next wait would overrun `budgetMs`.
 */
export function decideRetry(input: RetryInput, policy: RetrySettings, random: () => number): RetryDecision {
  const { status, error } = input;
  if (error === null && status !== null) {
    if (status === 401 || status === 403) {
      const hinted = retryAfter(input);
      const delay = hinted ?? fullJitter(input.authAttempt, policy.baseDelayMs, policy.authProbeMaxDelayMs, random);
      return probeAuth(Math.min(delay, policy.authProbeMaxDelayMs));
    }
    if (status === 413) return input.items > 1 ? split() : drop('too_large');
    if (isPermanent(status)) return drop('rejected');
  }
  const reason = error ?? (status === null ? 'network' : `http_${status}`);
  if (input.attempt + 1 >= policy.maxAttempts) return drop('retry_budget');
  const hinted = retryAfter(input);
  const delayMs =
    hinted === null
      ? fullJitter(input.attempt, policy.baseDelayMs, policy.maxDelayMs, random)
      : Math.min(hinted, policy.maxRetryAfterMs);
  if (input.elapsedMs + delayMs > policy.budgetMs) return drop('retry_budget');
  return retry(delayMs, reason);
}
