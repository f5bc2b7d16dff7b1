// Sends one batch of claimed deliveries to their destination and decides each delivery's outcome (delivered, retry, failed).
import type { ClaimedUpload, UploadAttempt, UploadDestination } from '@touchline/storage';
import { decideUploadRetry, type UploadRetryPolicy } from './upload-retry.js';
import { errorText, googlePartialFailures, uploadRequest } from './upload-request.js';

export interface SendDeps {
  fetch: typeof fetch;
  policy: UploadRetryPolicy;
  timeoutMs: number;
  now: () => number;
  signal: AbortSignal;
}

interface Answer {
  status: number | null;
  body: string;
  retryAfter: string | null;
}

async function post(deps: SendDeps, d: UploadDestination, rows: readonly ClaimedUpload[]): Promise<Answer> {
  const req = uploadRequest(
    d,
    rows.map((r) => r.payload),
  );
  try {
    const res = await deps.fetch(req.url, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      redirect: 'error',
      signal: AbortSignal.any([deps.signal, AbortSignal.timeout(deps.timeoutMs)]),
    });
    return {
      status: res.status,
      body: (await res.text()).slice(0, 100_000),
      retryAfter: res.headers.get('retry-after'),
    };
  } catch (error) {
    return {
      status: null,
      body: `no response: ${error instanceof Error ? error.message : String(error)}`,
      retryAfter: null,
    };
  }
}

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/**
 * One request for the batch. Every delivery of it gets the same decision, except under Google's
 * partial failure, where the conversions it names have failed (not retried: the same payload would
 * fail again) and the others are delivered.
 */
export async function sendUploadBatch(
  deps: SendDeps,
  d: UploadDestination,
  rows: readonly ClaimedUpload[],
): Promise<UploadAttempt[]> {
  const answer = await post(deps, d, rows);
  const now = deps.now();
  const partial =
    d.platform === 'google_ads' && answer.status === 200
      ? googlePartialFailures(parsed(answer.body))
      : new Map<number, string>();
  return rows.map((row, index): UploadAttempt => {
    const base = {
      accountId: row.accountId,
      destinationId: row.destinationId,
      conversionId: row.conversionId,
      leasedUntil: row.leasedUntil,
      responseCode: answer.status,
    };
    const failedHere = partial.get(index) ?? partial.get(-1);
    if (failedHere !== undefined)
      return { ...base, status: 'failed', nextAttemptAt: now, error: `partial failure: ${failedHere}`.slice(0, 500) };
    const decision = decideUploadRetry(
      { status: answer.status, attempt: row.attempts + 1, retryAfter: answer.retryAfter, now },
      deps.policy,
    );
    switch (decision.kind) {
      case 'delivered':
        return { ...base, status: 'delivered', nextAttemptAt: now, error: null };
      case 'retry':
        return {
          ...base,
          status: 'pending',
          nextAttemptAt: now + decision.delayMs,
          error: errorText(answer.status, answer.body),
        };
      case 'give_up':
        return {
          ...base,
          status: 'failed',
          nextAttemptAt: now,
          error: `${decision.reason}: ${errorText(answer.status, answer.body)}`.slice(0, 500),
        };
    }
  });
}
