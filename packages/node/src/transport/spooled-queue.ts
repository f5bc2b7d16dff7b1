// The delivery queue with an on-disk spool behind it: every item is appended to disk, memory holds a bounded window, order is kept.
import type { Item } from '@touchline/core';
import type { SpoolStore } from '../spool/spool-store.js';
import { serializeItem } from './batch-envelope.js';
import { cutBatch, fitsAlone, holdsFullBatch, type BatchLimits, type QueuedItem } from './batch-cutter.js';
import type { DeliveryQueue } from './delivery-queue.js';

/**
 * Sequence numbers are virtual for items still on disk: the k-th backlog record will get
 * `loadedSeq + k` when it is read back, so `lastSeq` covers it and a flush waits for it too.
 * Memory refills only when half empty, so reads from disk come in runs, not one item at a time.
 * A segment is deleted once every item read from it has settled (`settled(lowestUnsettledSeq)`);
 * after a kill, what was not deleted is sent again: at least once, and the collector dedupes.
 */
export function createSpooledQueue(limits: BatchLimits, maxItems: number, store: SpoolStore): DeliveryQueue {
  const items: QueuedItem[] = [];
  let bytes = 0;
  let loadedSeq = 0;
  let dueUpTo = 0;
  /** Per segment read into memory, in order: the seq of its last item. */
  const marks: Array<{ segment: number; lastSeq: number }> = [];
  const backlog = (): number => store.backlog();

  function hold(id: string, json: string, segment: number): void {
    loadedSeq += 1;
    const size = Buffer.byteLength(json);
    items.push({ seq: loadedSeq, id, json, bytes: size });
    bytes += size;
    const last = marks[marks.length - 1];
    if (last?.segment === segment) last.lastSeq = loadedSeq;
    else marks.push({ segment, lastSeq: loadedSeq });
  }

  function refill(): void {
    const room = maxItems - items.length;
    if (room < Math.max(1, Math.floor(maxItems / 2)) && items.length > 0) return;
    if (backlog() === 0) return;
    // The checksum already vouched for the bytes; JSON written by serializeItem parses.
    for (const entry of store.take(room)) hold((JSON.parse(entry.json) as Item).id, entry.json, entry.segment);
  }

  return {
    offer(item) {
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
      const handOut = items.length < maxItems && backlog() === 0;
      const appended = store.append(serialized.json, handOut);
      if (appended.kind === 'full') return { kind: 'refused', reason: 'spool_full', message: appended.message };
      if (appended.kind === 'failed') return { kind: 'refused', reason: 'spool_failed', message: appended.message };
      if (handOut) hold(item.id, serialized.json, appended.segment);
      const waiting = !handOut || holdsFullBatch(items.length, bytes, limits);
      return { kind: 'queued', seq: loadedSeq + backlog(), fullBatchWaiting: waiting };
    },
    cutDue() {
      refill();
      const head = items[0];
      if (head === undefined) return undefined;
      if (head.seq > dueUpTo && !holdsFullBatch(items.length, bytes, limits)) return undefined;
      const cut = cutBatch(items, limits);
      for (const entry of [...cut.entries, ...cut.tooLarge]) bytes -= entry.bytes;
      return cut;
    },
    markAllDue() {
      dueUpTo = loadedSeq + backlog();
    },
    settled(lowestUnsettledSeq) {
      while (marks.length >= 2 && (marks[0]?.lastSeq ?? Infinity) < lowestUnsettledSeq) {
        marks.shift();
        store.settleBelow(marks[0]?.segment ?? 0);
      }
    },
    get headWaiting() {
      return this.headSeq !== Infinity && this.headSeq > dueUpTo;
    },
    get headSeq() {
      return items[0]?.seq ?? (backlog() > 0 ? loadedSeq + 1 : Infinity);
    },
    get lastSeq() {
      return loadedSeq + backlog();
    },
    get length() {
      return items.length + backlog();
    },
    clear() {
      const count = items.length;
      items.length = 0;
      bytes = 0;
      return count;
    },
  };
}
