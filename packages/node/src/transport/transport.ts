// The transport contract: what the client needs from the batching/delivery layer.
import type { Item } from '@touchline/core';
import type { SpoolStats } from '../spool/spool-store.js';

export interface TransportStats {
  /** Items waiting (not yet in a request): in memory, plus those on disk with a spool. */
  queued: number;
  /** Items inside requests not yet settled (including those waiting to retry). */
  inFlight: number;
  /** Items acknowledged by the collector (accepted or duplicate). */
  delivered: number;
  /** Items given up on, by reason. */
  dropped: Record<string, number>;
  /** HTTP attempts that failed and were retried. */
  retries: number;
  /** 401/403 answers seen. */
  authFailures: number;
  /** With a spool configured: its size, backlog on disk, records adopted and skipped. */
  spool?: SpoolStats;
}

export interface FlushResult {
  /** True when nothing is queued or in flight any more. */
  settled: boolean;
  stats: TransportStats;
}

export interface Transport {
  /** Queues one item; never throws. Drops (and counts) it when the queue is full or closed. */
  enqueue(item: Item): void;
  /** Sends everything queued and resolves once all of it and everything in flight has settled, or the timeout passed. */
  flush(options?: { timeoutMs?: number }): Promise<FlushResult>;
  /** Stops accepting, flushes, and releases timers. */
  close(options?: { timeoutMs?: number }): Promise<FlushResult>;
  stats(): TransportStats;
}
