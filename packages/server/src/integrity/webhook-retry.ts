// decideWebhookRetry: after one webhook attempt, whether the notice is delivered, retried after a delay, or given up (pure).

export interface WebhookRetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Delay before the second attempt; doubled for each further one. */
  backoffMs: number;
  /** Upper bound of one delay. @default 60000 */
  maxBackoffMs?: number;
}

/** What one attempt produced: an HTTP status, or a network failure / timeout (status null). */
export interface WebhookAttempt {
  status: number | null;
  attempt: number;
}

export type WebhookDecision =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'give_up'; reason: string };

export const delivered = (): WebhookDecision => ({ kind: 'delivered' });
export const retry = (delayMs: number): WebhookDecision => ({ kind: 'retry', delayMs });
export const giveUp = (reason: string): WebhookDecision => ({ kind: 'give_up', reason });

/**
 * 2xx is delivered. 4xx other than 408/429 will not get better by asking again: given up at once.
 * Anything else (5xx, 408, 429, network errors) is retried with exponential backoff until
 * maxAttempts is spent.
 */
export function decideWebhookRetry({ status, attempt }: WebhookAttempt, policy: WebhookRetryPolicy): WebhookDecision {
  if (status !== null && status >= 200 && status < 300) return delivered();
  const what = status === null ? 'no response (network error or timeout)' : `HTTP ${status}`;
  if (status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429)
    return giveUp(`${what}, not retried`);
  if (attempt >= policy.maxAttempts) return giveUp(`${what} after ${attempt} attempt(s)`);
  return retry(Math.min(policy.maxBackoffMs ?? 60_000, policy.backoffMs * 2 ** (attempt - 1)));
}
