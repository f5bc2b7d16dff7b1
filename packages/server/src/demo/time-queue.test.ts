// The demo's time queue hands values out by time, ties in insertion order, exactly as a stable sort would.
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './seeded-random.js';
import { createTimeQueue } from './time-queue.js';

describe('createTimeQueue', () => {
  it('gives the same order as a stable sort by time, and nothing at or after the limit', () => {
    const rng = createSeededRandom(3);
    const queue = createTimeQueue<number>();
    const added: Array<{ at: number; n: number }> = [];
    for (let n = 0; n < 5000; n++) {
      const at = rng.int(0, 300);
      added.push({ at, n });
      queue.add(at, n);
    }
    const early: number[] = [];
    for (let v = queue.takeBefore(100); v !== undefined; v = queue.takeBefore(100)) early.push(v);
    const rest: number[] = [];
    for (let v = queue.takeBefore(Infinity); v !== undefined; v = queue.takeBefore(Infinity)) rest.push(v);
    const sorted = [...added].sort((a, b) => a.at - b.at).map((e) => e.n);
    expect(early).toEqual(sorted.slice(0, early.length));
    expect(added.filter((e) => e.at < 100).length).toBe(early.length);
    expect(rest).toEqual(sorted.slice(early.length));
    expect(queue.size).toBe(0);
  });
});
