// decideWebhookRetry as a table: which answers are delivered, retried (and after how long), or given up.
import { describe, expect, it } from 'vitest';
import { decideWebhookRetry, delivered, giveUp, retry } from './webhook-retry.js';

const policy = { maxAttempts: 4, backoffMs: 100, maxBackoffMs: 250 };

describe('decideWebhookRetry', () => {
  it.each([
    [200, 1, delivered()],
    [204, 4, delivered()],
    [500, 1, retry(100)],
    [503, 2, retry(200)],
    [null, 3, retry(250)],
    [429, 1, retry(100)],
    [408, 2, retry(200)],
    [500, 4, giveUp('HTTP 500 after 4 attempt(s)')],
    [null, 4, giveUp('no response (network error or timeout) after 4 attempt(s)')],
    [404, 1, giveUp('HTTP 404, not retried')],
    [401, 1, giveUp('HTTP 401, not retried')],
  ] as const)('status %s on attempt %i', (status, attempt, expected) => {
    expect(decideWebhookRetry({ status, attempt }, policy)).toEqual(expected);
  });
});
