// The bounded FIFO of items waiting for a batch: admission, byte accounting, and which items are due.
import type { Item } from '@touchline/core';
import { serializeItem } from './batch-envelope.js';
import { cutBatch, fitsAlone, holdsFullBatch, type BatchLimits, type Cut, type QueuedItem } from './batch-cutter.js';

/** Admission is a value: the caller counts and reports refusals. */
export type Offer =
  | { kind: 'queued'; seq: number; fullBatchWaiting: boolean }
  | {
      kind: 'refused';
      reason: 'queue_full' | 'spool_full' | 'spool_failed' | 'unserializable' | 'too_large';
      message: string;
    };

export interface DeliveryQueue {
  offer(item: Item): Offer;
  /** Cuts the next batch if one is due: a full one, or any once its oldest item was marked due. */
  cutDue(): Cut | undefined;
  /** Marks everything queued so far as due (the interval timer fired, or a flush asked). */
  markAllDue(): void;
  /** Everything below this sequence number is settled (delivered or dropped): a spool may let it go. */
  settled(lowestUnsettledSeq: number): void;
  /** Whether the oldest item still waits for the interval timer. */
  readonly headWaiting: boolean;
  /** Sequence number of the oldest item; Infinity when empty. */
  readonly headSeq: number;
  /** Sequence number of the newest item ever queued (0 before the first). */
  readonly lastSeq: number;
  readonly length: number;
  /** Empties the queue, returning how many items it held. */
  clear(): number;
}

export function createDeliveryQueue(limits: BatchLimits, maxItems: number): DeliveryQueue {
  const items: QueuedItem[] = [];
  let bytes = 0;
  let lastSeq = 0;
  /** Items with seq up to here may leave in a partial batch. */
  let dueUpTo = 0;

  return {
    offer(item) {
      if (items.length >= maxItems) {
        return { kind: 'refused', reason: 'queue_full', message: `${maxItems} items already wait for delivery` };
      }
      const result = serializeItem(item);
      if (result.kind === 'err')
        return {
          kind: 'refused',
          reason: 'unserializable',
          message: `item ${item.id} cannot be serialized: ${result.error}`,
        };
      const serialized = result.value;
      const fit = fitsAlone(serialized.bytes, limits);
      if (fit.kind === 'too_large') {
        return {
          kind: 'refused',
          reason: 'too_large',
          message: `item ${item.id} is ${fit.bytes} bytes, over the ${fit.limit}-byte limit`,
        };
      }
      lastSeq += 1;
      items.push({ seq: lastSeq, id: item.id, json: serialized.json, bytes: serialized.bytes });
      bytes += serialized.bytes;
      return { kind: 'queued', seq: lastSeq, fullBatchWaiting: holdsFullBatch(items.length, bytes, limits) };
    },
    cutDue() {
      const head = items[0];
      if (head === undefined) return undefined;
      if (head.seq > dueUpTo && !holdsFullBatch(items.length, bytes, limits)) return undefined;
      const cut = cutBatch(items, limits);
      for (const entry of [...cut.entries, ...cut.tooLarge]) bytes -= entry.bytes;
      return cut;
    },
    markAllDue() {
      dueUpTo = lastSeq;
    },
    settled() {
      /* memory only: nothing to release */
    },
    get headWaiting() {
      return items.length > 0 && (items[0]?.seq ?? 0) > dueUpTo;
    },
    get headSeq() {
      return items[0]?.seq ?? Infinity;
    },
    get lastSeq() {
      return lastSeq;
    },
    get length() {
      return items.length;
    },
    clear() {
      const count = items.length;
      items.length = 0;
      bytes = 0;
      return count;
    },
  };
}
