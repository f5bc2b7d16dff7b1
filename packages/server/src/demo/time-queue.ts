// createTimeQueue: a binary min-heap of values by time, ties in insertion order, so the demo can hand out items in time order as it makes them.

export interface TimeQueue<T> {
  add(at: number, value: T): void;
  /** Removes and returns the earliest value with a time before `limit`, or undefined if there is none. */
  takeBefore(limit: number): T | undefined;
  /** The earliest time in the queue, or undefined when it is empty. */
  peekTime(): number | undefined;
  readonly size: number;
}

interface Entry<T> {
  at: number;
  order: number;
  value: T;
}

const before = <T>(a: Entry<T>, b: Entry<T>): boolean => a.at < b.at || (a.at === b.at && a.order < b.order);

export function createTimeQueue<T>(): TimeQueue<T> {
  const heap: Array<Entry<T>> = [];
  let added = 0;

  function up(index: number): void {
    const entry = heap[index] as Entry<T>;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Entry<T>;
      if (!before(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  function down(): void {
    const entry = heap[0] as Entry<T>;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right] as Entry<T>, heap[left] as Entry<T>) ? right : left;
      if (!before(heap[child] as Entry<T>, entry)) break;
      heap[i] = heap[child] as Entry<T>;
      i = child;
    }
    heap[i] = entry;
  }

  return {
    add(at, value) {
      heap.push({ at, order: added++, value });
      up(heap.length - 1);
    },
    takeBefore(limit) {
      const top = heap[0];
      if (top === undefined || top.at >= limit) return undefined;
      const last = heap.pop() as Entry<T>;
      if (heap.length > 0) {
        heap[0] = last;
        down();
      }
      return top.value;
    },
    peekTime: () => heap[0]?.at,
    get size() {
      return heap.length;
    },
  };
}
