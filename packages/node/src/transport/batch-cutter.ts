// Cuts the next batch off the front of the queue within the item and byte limits.
import { batchBytes } from './batch-envelope.js';

/**
 * An item waiting for delivery, serialized once; `seq` orders items for flush bookkeeping. Only the
 * item's id is kept beside its JSON (for reports): holding the item until its batch is acknowledged
 * kept every request's context alive past young-generation collections.
 */
export interface QueuedItem {
  readonly seq: number;
  readonly id: string;
  readonly json: string;
  readonly bytes: number;
}

export interface BatchLimits {
  maxItems: number;
  /** Bytes of a whole request body. */
  maxBytes: number;
  /** Bytes of one serialized item (the collector's per-item limit). */
  maxItemBytes: number;
  /** Bytes of the request body around the items (see batch-envelope). */
  envelopeBytes: number;
}

/** "Doesn't fit" is a value: `full` means try the next batch, `too_large` means never. */
export type FitResult = { kind: 'added' } | { kind: 'full' } | { kind: 'too_large'; bytes: number; limit: number };

/** Whether an item could travel even in a batch of its own. */
export function fitsAlone(bytes: number, limits: BatchLimits): FitResult {
  const limit = Math.min(limits.maxItemBytes, limits.maxBytes - limits.envelopeBytes);
  return bytes > limit ? { kind: 'too_large', bytes, limit } : { kind: 'added' };
}

export interface BatchDraft {
  tryAdd(entry: QueuedItem): FitResult;
  readonly entries: readonly QueuedItem[];
  /** Bytes of the request body holding the entries added so far. */
  readonly bytes: number;
}

export function createBatchDraft(limits: BatchLimits): BatchDraft {
  const entries: QueuedItem[] = [];
  let itemBytes = 0;
  return {
    tryAdd(entry) {
      const alone = fitsAlone(entry.bytes, limits);
      if (alone.kind === 'too_large') return alone;
      if (entries.length >= limits.maxItems) return { kind: 'full' };
      if (batchBytes(limits.envelopeBytes, entries.length + 1, itemBytes + entry.bytes) > limits.maxBytes)
        return { kind: 'full' };
      entries.push(entry);
      itemBytes += entry.bytes;
      return { kind: 'added' };
    },
    get entries() {
      return entries;
    },
    get bytes() {
      return batchBytes(limits.envelopeBytes, entries.length, itemBytes);
    },
  };
}

export interface Cut {
  entries: QueuedItem[];
  /** Items met on the way that can never be sent; removed from the queue for the caller to drop. */
  tooLarge: QueuedItem[];
}

/** Removes the cut items (and any too-large ones before the cut point) from the front of `queue`. */
export function cutBatch(queue: QueuedItem[], limits: BatchLimits): Cut {
  const draft = createBatchDraft(limits);
  const tooLarge: QueuedItem[] = [];
  let taken = 0;
  for (const entry of queue) {
    const fit = draft.tryAdd(entry);
    if (fit.kind === 'full') break;
    if (fit.kind === 'too_large') tooLarge.push(entry);
    taken += 1;
  }
  queue.splice(0, taken);
  return { entries: [...draft.entries], tooLarge };
}

/** True when the queue already holds at least one full batch, so waiting for the timer gains nothing. */
export function holdsFullBatch(count: number, itemBytes: number, limits: BatchLimits): boolean {
  return count >= limits.maxItems || batchBytes(limits.envelopeBytes, count, itemBytes) >= limits.maxBytes;
}

/** A 413 on a batch: send each half on its own, order kept. */
export function splitInHalves<T>(entries: readonly T[]): [T[], T[]] {
  const middle = Math.ceil(entries.length / 2);
  return [entries.slice(0, middle), entries.slice(middle)];
}
