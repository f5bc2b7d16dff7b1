// The queue's admission values and when its items become due for a partial batch.
import { describe, expect, it } from 'vitest';
import { makeEvent, makeEvents } from '../test-support/make-items.js';
import type { BatchLimits } from './batch-cutter.js';
import { createDeliveryQueue } from './delivery-queue.js';

const limits: BatchLimits = { maxItems: 3, maxBytes: 64 * 1024, maxItemBytes: 32 * 1024, envelopeBytes: 120 };

describe('createDeliveryQueue', () => {
  it('refuses as values: full queue, too large, unserializable', () => {
    const queue = createDeliveryQueue(limits, 2);
    expect(queue.offer(makeEvent('big', { padding: 40_000 }))).toMatchObject({ kind: 'refused', reason: 'too_large' });
    expect(queue.offer(makeEvent('n', { properties: { n: 1n } }))).toMatchObject({
      kind: 'refused',
      reason: 'unserializable',
    });
    expect(queue.offer(makeEvent())).toMatchObject({ kind: 'queued', seq: 1, fullBatchWaiting: false });
    expect(queue.offer(makeEvent())).toMatchObject({ kind: 'queued', seq: 2 });
    expect(queue.offer(makeEvent())).toMatchObject({ kind: 'refused', reason: 'queue_full' });
    expect(queue.length).toBe(2);
  });

  it('holds a partial batch until marked due, releases a full one at once', () => {
    const queue = createDeliveryQueue(limits, 100);
    makeEvents(2).forEach((i) => queue.offer(i));
    expect(queue.headWaiting).toBe(true);
    expect(queue.cutDue()).toBeUndefined();
    queue.markAllDue();
    expect(queue.cutDue()?.entries.map((e) => e.seq)).toEqual([1, 2]);
    const offers = makeEvents(4).map((i) => queue.offer(i));
    expect(offers.map((o) => o.kind === 'queued' && o.fullBatchWaiting)).toEqual([false, false, true, true]);
    expect(queue.cutDue()?.entries.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(queue.cutDue()).toBeUndefined();
    expect(queue.headSeq).toBe(6);
    expect(queue.clear()).toBe(1);
    expect(queue.headSeq).toBe(Infinity);
  });
});
