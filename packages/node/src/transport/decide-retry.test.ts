// Table tests for decideRetry: every status class, Retry-After forms, budgets, and 401/403 never dropping.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RetrySettings } from '../client-settings.js';
import { backoffCeiling } from './backoff.js';
import { decideRetry, drop, probeAuth, retry, split, type RetryInput } from './decide-retry.js';

const policy: RetrySettings = {
  baseDelayMs: 100,
  maxDelayMs: 1000,
  maxRetryAfterMs: 5000,
  maxAttempts: 8,
  budgetMs: 10_000,
  authProbeMaxDelayMs: 3000,
};
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
/** Draws the top of the jitter window, so expected delays are the window ceilings. */
const top = (): number => 0.9999999;
const headers = (h: Record<string, string>): Headers => new Headers(h);
const input = (over: Partial<RetryInput>): RetryInput => ({
  status: 500,
  headers: null,
  error: null,
  attempt: 0,
  authAttempt: 0,
  elapsedMs: 0,
  items: 10,
  nowMs: NOW,
  ...over,
});

describe('decideRetry', () => {
  it.each<[string, Partial<RetryInput>, ReturnType<typeof decideRetry>]>([
    ['500 on the first attempt waits up to base', { status: 500 }, retry(100, 'http_500')],
    ['503 on the third attempt waits up to base * 4', { status: 503, attempt: 2 }, retry(400, 'http_503')],
    ['the fourth attempt waits up to base * 8', { status: 502, attempt: 3, items: 1 }, retry(800, 'http_502')],
    ['the window is capped at maxDelayMs', { status: 502, attempt: 6 }, retry(1000, 'http_502')],
    [
      'the last allowed attempt (maxAttempts) failing spends the budget',
      { status: 500, attempt: 7 },
      drop('retry_budget'),
    ],
    ['408 is transient', { status: 408 }, retry(100, 'http_408')],
    [
      '429 honours Retry-After in seconds',
      { status: 429, headers: headers({ 'retry-after': '2' }) },
      retry(2000, 'http_429'),
    ],
    [
      'Retry-After is capped at maxRetryAfterMs',
      { status: 429, headers: headers({ 'retry-after': '3600' }) },
      retry(5000, 'http_429'),
    ],
    [
      'Retry-After as an HTTP date',
      { status: 503, headers: headers({ 'retry-after': new Date(NOW + 3000).toUTCString() }) },
      retry(3000, 'http_503'),
    ],
    [
      'Retry-After date in the past means now',
      { status: 503, headers: headers({ 'retry-after': new Date(NOW - 60_000).toUTCString() }) },
      retry(0, 'http_503'),
    ],
    [
      'unreadable Retry-After falls back to jitter',
      { status: 429, headers: headers({ 'retry-after': 'soon' }) },
      retry(100, 'http_429'),
    ],
    ['connection refused / reset', { status: null, error: 'network' }, retry(100, 'network')],
    ['request timeout', { status: null, error: 'timeout' }, retry(100, 'timeout')],
    [
      'a 202 echoing another batch id (L4)',
      { status: 202, error: 'batch_id_mismatch' },
      retry(100, 'batch_id_mismatch'),
    ],
    ['a 200 with an unreadable body', { status: 200, error: 'bad_response' }, retry(100, 'bad_response')],
    [
      'a crossed 400 is retried, not dropped',
      { status: 400, error: 'batch_id_mismatch' },
      retry(100, 'batch_id_mismatch'),
    ],
    ['an unexpected 3xx is retried within the budget', { status: 302 }, retry(100, 'http_302')],
    ['a wait that would overrun budgetMs drops', { status: 500, elapsedMs: 9950 }, drop('retry_budget')],
    ['a wait that ends exactly at budgetMs is allowed', { status: 500, elapsedMs: 9900 }, retry(100, 'http_500')],
    [
      'a Retry-After beyond the remaining budget drops',
      { status: 429, elapsedMs: 8000, headers: headers({ 'retry-after': '3' }) },
      drop('retry_budget'),
    ],
    ['400 for the whole batch is rejected', { status: 400 }, drop('rejected')],
    ['404 is rejected', { status: 404 }, drop('rejected')],
    ['422 is rejected', { status: 422 }, drop('rejected')],
    ['413 on several items splits', { status: 413, items: 2 }, split()],
    ['413 on one item is too large', { status: 413, items: 1 }, drop('too_large')],
    ['401 probes again after the base window', { status: 401 }, probeAuth(100)],
    ['403 probes with a growing window', { status: 403, authAttempt: 2 }, probeAuth(400)],
    ['the probe window is capped at authProbeMaxDelayMs', { status: 401, authAttempt: 30 }, probeAuth(3000)],
    [
      '401 never drops, however many attempts or ms were spent (L5)',
      { status: 401, attempt: 99, authAttempt: 1000, elapsedMs: 1e9 },
      probeAuth(3000),
    ],
    ['401 honours Retry-After', { status: 401, headers: headers({ 'retry-after': '1' }) }, probeAuth(1000)],
    [
      '401 Retry-After is capped at authProbeMaxDelayMs',
      { status: 401, headers: headers({ 'retry-after': '60' }) },
      probeAuth(3000),
    ],
  ])('%s', (_name, over, expected) => {
    expect(decideRetry(input(over), policy, top)).toEqual(expected);
  });

  it('with random 0 the wait is 0 (full jitter starts at zero)', () => {
    expect(decideRetry(input({ status: 500, attempt: 3 }), policy, () => 0)).toEqual(retry(0, 'http_500'));
  });

  it('never waits outside [0, min(maxDelayMs, baseDelayMs * 2^attempt)]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.constantFrom(408, 429, 500, 502, 503, 504, null),
        (attempt, r, status) => {
          const decision = decideRetry(
            input({ status, error: status === null ? 'network' : null, attempt }),
            policy,
            () => r,
          );
          expect(decision.kind).toBe('retry');
          const delay = decision.kind === 'retry' ? decision.delayMs : -1;
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(backoffCeiling(attempt, policy.baseDelayMs, policy.maxDelayMs));
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });

  it('never drops on 401/403, whatever the other facts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(401, 403),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (status, attempt, authAttempt, elapsedMs, items, r) => {
          const decision = decideRetry(input({ status, attempt, authAttempt, elapsedMs, items }), policy, () => r);
          expect(decision.kind).toBe('probe_auth');
          if (decision.kind === 'probe_auth') expect(decision.delayMs).toBeLessThanOrEqual(policy.authProbeMaxDelayMs);
        },
      ),
    );
  });
});
