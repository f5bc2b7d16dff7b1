// The result of one HTTP attempt as a value: acknowledged by the collector, or failed and why.
import type { BatchResponse } from '@touchline/core';

/** Anything with a case-insensitive `get`, such as fetch's Headers. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * Why an attempt failed when the HTTP status alone does not say it: the request never got an
 * answer (network, timeout, aborted), or the answer was not a trustworthy reply to this request.
 */
export type FailureKind = 'network' | 'timeout' | 'aborted' | 'batch_id_mismatch' | 'bad_response';

export interface Acknowledged {
  kind: 'acknowledged';
  batchId: string;
  status: number;
  response: BatchResponse;
}

export interface Failed {
  kind: 'failed';
  batchId: string;
  /** null when no HTTP answer arrived. */
  status: number | null;
  headers: HeaderLookup | null;
  /** null for a plain HTTP error status, which decides by itself. */
  error: FailureKind | null;
  /** What happened, for onError: the collector's own message when it sent one. */
  message: string;
}

export type AttemptOutcome = Acknowledged | Failed;

export const acknowledged = (batchId: string, status: number, response: BatchResponse): Acknowledged => ({
  kind: 'acknowledged',
  batchId,
  status,
  response,
});

export const failed = (
  batchId: string,
  status: number | null,
  headers: HeaderLookup | null,
  error: FailureKind | null,
  message: string,
): Failed => ({ kind: 'failed', batchId, status, headers, error, message });
