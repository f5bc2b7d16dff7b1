// The one exception type of the transport: every delivery failure reported to onError is one of these.
import { TouchlineError } from '@touchline/core';

/** Stable codes callers can branch on; each names why items were not (or not yet) delivered. */
export type TransportErrorCode =
  | 'queue_full'
  | 'spool_full'
  | 'spool_failed'
  | 'closed'
  | 'too_large'
  | 'unserializable'
  | 'rejected'
  | 'retry_budget'
  | 'auth_failed'
  | 'bad_response'
  | 'internal_error';

export interface TransportErrorDetails {
  /** HTTP status of the answer that caused it, null for network failures. */
  status?: number | null;
  /** The batch id of the HTTP attempt concerned. */
  batchId?: string;
  /** The item concerned, for per-item rejections. */
  itemId?: string;
  /** How many items the failure cost (0 when they are kept, e.g. auth failures). */
  items?: number;
  cause?: unknown;
}

export class TransportError extends TouchlineError {
  declare readonly code: TransportErrorCode;
  readonly status: number | null;
  readonly batchId: string | null;
  readonly itemId: string | null;
  readonly items: number;

  constructor(code: TransportErrorCode, message: string, details: TransportErrorDetails = {}) {
    super(code, `touchline transport: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TransportError';
    this.status = details.status ?? null;
    this.batchId = details.batchId ?? null;
    this.itemId = details.itemId ?? null;
    this.items = details.items ?? 0;
  }
}
