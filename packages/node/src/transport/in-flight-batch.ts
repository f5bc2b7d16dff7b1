// A batch cut from the queue, with the bookkeeping its retries need; it keeps its items until settled.
import type { QueuedItem } from './batch-cutter.js';

export interface InFlightBatch {
  readonly entries: readonly QueuedItem[];
  /** HTTP attempts made, of any kind (reported as `attempt` in 'delivered'). */
  attempts: number;
  /** Attempts that failed transiently: they spend the retry budget. */
  transientAttempts: number;
  /** Consecutive 401/403 answers: they set the probe backoff, never the budget. */
  authAttempts: number;
  /** When the batch was cut; the transient budget runs from here. */
  readonly createdAt: number;
  /** Time spent waiting out 401/403 (probing or parked), kept out of the transient budget. */
  authMs: number;
  /** Set while parked behind another batch's auth probe. */
  parkedAt: number | null;
  /** Set at shutdown: its items were already counted as dropped, late answers are ignored. */
  abandoned: boolean;
}

export function newBatch(entries: readonly QueuedItem[], nowMs: number): InFlightBatch {
  return {
    entries,
    attempts: 0,
    transientAttempts: 0,
    authAttempts: 0,
    createdAt: nowMs,
    authMs: 0,
    parkedAt: null,
    abandoned: false,
  };
}

export function countItems(batches: Iterable<InFlightBatch>): number {
  let total = 0;
  for (const batch of batches) if (!batch.abandoned) total += batch.entries.length;
  return total;
}
