// decideUploadRetry: after one upload attempt, whether the conversions are delivered, retried after a delay, or given up (pure).

/** How deliveries are retried. Documented data; the collector's `uploads` settings fill it. */
export interface UploadRetryPolicy {
  /** Attempts in all, the first included. @default 8 */
  maxAttempts: number;
  /** Delay before the second attempt; doubled for each further one. @default 30000 */
  backoffMs: number;
  /** Upper bound of one delay, Retry-After included. @default 3600000 */
  maxBackoffMs: number;
}

export const DEFAULT_UPLOAD_RETRY: UploadRetryPolicy = { maxAttempts: 8, backoffMs: 30_000, maxBackoffMs: 3_600_000 };

/** What one attempt produced: an HTTP status (null: network error or timeout) and the Retry-After header, if any. */
export interface UploadAttemptResult {
  status: number | null;
  attempt: number;
  retryAfter?: string | null;
  now?: number;
}

export type UploadDecision =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'give_up'; reason: string };

/** Client errors that say nothing against the payload: timeout, rate limit, and credentials the operator can fix. */
const RETRIED_4XX = new Set([401, 403, 408, 429]);

export const delivered = (): UploadDecision => ({ kind: 'delivered' });
export const retry = (delayMs: number): UploadDecision => ({ kind: 'retry', delayMs });
export const giveUp = (reason: string): UploadDecision => ({ kind: 'give_up', reason });

/** Retry-After as seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number): number | null {
  if (header === null || header === undefined || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * 2xx is delivered. A 4xx other than 401, 403, 408 and 429 (a refused payload) will not get better
 * by sending the same thing again: given up at once. 5xx, 408, 429, network errors, and 401/403 (an
 * expired or revoked token, which the operator can replace: the payload is not at fault, DESIGN.md
 * L5) are retried with exponential backoff, never sooner than Retry-After, until maxAttempts is
 * spent. Retrying is safe: every attempt sends the stored payload, with the same order_id / event_id.
 */
export function decideUploadRetry(r: UploadAttemptResult, policy: UploadRetryPolicy): UploadDecision {
  const { status, attempt } = r;
  if (status !== null && status >= 200 && status < 300) return delivered();
  const what = status === null ? 'no response (network error or timeout)' : `HTTP ${status}`;
  if (status !== null && status >= 400 && status < 500 && !RETRIED_4XX.has(status))
    return giveUp(`${what}, not retried`);
  if (attempt >= policy.maxAttempts) return giveUp(`${what} after ${attempt} attempt(s)`);
  const backoff = policy.backoffMs * 2 ** (attempt - 1);
  const asked = retryAfterMs(r.retryAfter, r.now ?? Date.now()) ?? 0;
  return retry(Math.min(policy.maxBackoffMs, Math.max(backoff, asked)));
}
