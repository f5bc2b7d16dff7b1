// Cutting batches: item and byte limits, order kept, "doesn't fit" reported as a value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../test-support/make-items.js';
import { serializeItem } from './batch-envelope.js';
import {
  createBatchDraft,
  cutBatch,
  fitsAlone,
  holdsFullBatch,
  splitInHalves,
  type BatchLimits,
  type QueuedItem,
} from './batch-cutter.js';

const limits: BatchLimits = { maxItems: 5, maxBytes: 4000, maxItemBytes: 2000, envelopeBytes: 100 };

function queued(seq: number, padding = 0): QueuedItem {
  const item = makeEvent('e', { padding });
  const s = serializeItem(item);
  if (s.kind === 'err') throw new Error(s.error);
  return { seq, id: item.id, ...s.value };
}

/** An entry of an exact size, for arithmetic tests where the JSON does not matter. */
const sized = (seq: number, bytes: number): QueuedItem => ({ ...queued(seq), bytes });

describe('createBatchDraft', () => {
  it('says full at maxItems', () => {
    const draft = createBatchDraft(limits);
    for (let i = 0; i < 5; i += 1) expect(draft.tryAdd(sized(i, 10))).toEqual({ kind: 'added' });
    expect(draft.tryAdd(sized(5, 10))).toEqual({ kind: 'full' });
  });

  it('says full when the next item would pass maxBytes, counting envelope and commas', () => {
    const draft = createBatchDraft(limits);
    expect(draft.tryAdd(sized(1, 1900))).toEqual({ kind: 'added' });
    expect(draft.tryAdd(sized(2, 1999))).toEqual({ kind: 'added' }); // 100 + 1900 + 1999 + 1 comma = 4000
    expect(draft.bytes).toBe(4000);
    expect(draft.tryAdd(sized(3, 1))).toEqual({ kind: 'full' });
  });

  it('says too_large for an item that could never travel', () => {
    expect(createBatchDraft(limits).tryAdd(sized(1, 2001))).toEqual({ kind: 'too_large', bytes: 2001, limit: 2000 });
    expect(fitsAlone(3950, { ...limits, maxItemBytes: 10_000 })).toEqual({
      kind: 'too_large',
      bytes: 3950,
      limit: 3900,
    });
  });
});

describe('cutBatch', () => {
  it('takes from the front and leaves the rest in order', () => {
    const queue = [1, 2, 3, 4, 5, 6, 7].map((seq) => sized(seq, 10));
    const cut = cutBatch(queue, limits);
    expect(cut.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(queue.map((e) => e.seq)).toEqual([6, 7]);
  });

  it('removes too-large items met on the way and reports them', () => {
    const queue = [sized(1, 10), sized(2, 5000), sized(3, 10)];
    const cut = cutBatch(queue, limits);
    expect(cut.entries.map((e) => e.seq)).toEqual([1, 3]);
    expect(cut.tooLarge.map((e) => e.seq)).toEqual([2]);
    expect(queue).toEqual([]);
  });

  it('never exceeds the limits, never loses or reorders an item (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 2500 }), { maxLength: 60 }), (sizes) => {
        const queue = sizes.map((bytes, i) => sized(i, bytes));
        const seen: number[] = [];
        const tooLarge: number[] = [];
        while (queue.length > 0) {
          const cut = cutBatch(queue, limits);
          expect(cut.entries.length + cut.tooLarge.length).toBeGreaterThan(0);
          expect(cut.entries.length).toBeLessThanOrEqual(limits.maxItems);
          const bytes =
            limits.envelopeBytes + cut.entries.reduce((s, e) => s + e.bytes, 0) + Math.max(0, cut.entries.length - 1);
          expect(bytes).toBeLessThanOrEqual(limits.maxBytes);
          seen.push(...cut.entries.map((e) => e.seq));
          tooLarge.push(...cut.tooLarge.map((e) => e.seq));
        }
        expect(seen).toEqual(sizes.map((_, i) => i).filter((i) => (sizes[i] ?? 0) <= limits.maxItemBytes));
        expect(tooLarge).toEqual(sizes.map((_, i) => i).filter((i) => (sizes[i] ?? 0) > limits.maxItemBytes));
      }),
    );
  });
});

describe('holdsFullBatch', () => {
  it.each([
    [5, 50, true],
    [4, 50, false],
    [2, 3899, true],
    [2, 3898, false],
  ])('%d items of %d bytes -> %s', (count, bytes, expected) => {
    expect(holdsFullBatch(count, bytes, limits)).toBe(expected);
  });
});

describe('splitInHalves', () => {
  it.each([
    [
      [1, 2],
      [[1], [2]],
    ],
    [
      [1, 2, 3],
      [[1, 2], [3]],
    ],
    [
      [1, 2, 3, 4],
      [
        [1, 2],
        [3, 4],
      ],
    ],
  ])('%j -> %j', (input, expected) => {
    expect(splitInHalves(input)).toEqual(expected);
  });
});
