// flush() and close() against a real collector stub: they await in-flight work, and the queue bound is exact.
import { afterEach, describe, expect, it } from 'vitest';
import { accept, fail } from '../test-support/stub-actions.js';
import { startStubCollector, type StubCollector } from '../test-support/stub-collector.js';
import { makeEvent, makeEvents } from '../test-support/make-items.js';
import { createTestTransport, type TransportHarness } from '../test-support/transport-harness.js';
import { exactly } from '../test-support/exactly.js';

const open: { stub: StubCollector; h: TransportHarness }[] = [];

afterEach(async () => {
  for (const { stub, h } of open.splice(0)) {
    await h.transport.close({ timeoutMs: 100 });
    await stub.close();
  }
});

async function setUp(
  options: Parameters<typeof startStubCollector>[0],
  settings: Parameters<typeof createTestTransport>[1],
) {
  const stub = await startStubCollector(options);
  const h = createTestTransport(stub.url, settings);
  open.push({ stub, h });
  return { stub, h };
}

describe('flush and close (real sockets)', () => {
  it('flush resolves only after every in-flight request was answered', async () => {
    const { stub, h } = await setUp({ script: () => accept(60) }, { maxInFlight: 2, batch: { maxItems: 10 } });
    makeEvents(50).forEach((i) => h.transport.enqueue(i));
    const started = Date.now();
    const result = await h.transport.flush();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(result).toMatchObject({ settled: true, stats: { delivered: 50, queued: 0, inFlight: 0 } });
    expect(stub.answered).toBe(stub.requests.length);
    expect(stub.items).toHaveLength(50);
  });

  it('flush also awaits batches that are waiting to retry', async () => {
    const { stub, h } = await setUp(
      { script: (req) => (req.n <= 2 ? fail(503, { headers: { 'retry-after': '0.1' } }) : accept()) },
      { batch: { maxItems: 10 } },
    );
    makeEvents(7).forEach((i) => h.transport.enqueue(i));
    const result = await h.transport.flush();
    expect(result).toMatchObject({ settled: true, stats: { delivered: 7, retries: 2 } });
    expect(stub.requests).toHaveLength(3);
  });

  it('flush under continuing load waits for what was queued before it, not for later items', async () => {
    const { stub, h } = await setUp({ script: () => accept(20) }, { maxInFlight: 1, batch: { maxItems: 5 } });
    const before = makeEvents(10);
    before.forEach((i) => h.transport.enqueue(i));
    const flushing = h.transport.flush();
    const later = setInterval(() => h.transport.enqueue(makeEvent('later')), 2);
    const result = await flushing;
    clearInterval(later);
    expect(result.settled).toBe(true);
    expect(before.every((i) => stub.timesReceived(i.id) === 1)).toBe(true);
  });

  it('a burst beyond the queue bound: everything within it delivered, the excess dropped and counted exactly', async () => {
    const { stub, h } = await setUp(
      { script: () => accept(10) },
      { maxQueueItems: 200, maxInFlight: 2, batch: { maxItems: 25 } },
    );
    const items = makeEvents(1000);
    items.forEach((i) => h.transport.enqueue(i));
    // Two full batches (50 items) left during the burst, 200 wait in the queue, 750 found it full.
    const result = await h.transport.flush();
    expect(result.stats).toMatchObject({ delivered: 250, dropped: exactly({ queue_full: 750 }) });
    expect(h.droppedBy('queue_full')).toBe(750);
    // The first 250 enqueued, whatever order the two slots' requests were stored in.
    expect(stub.items.map((i) => i.id).sort()).toEqual(
      items
        .slice(0, 250)
        .map((i) => i.id)
        .sort(),
    );
  });

  it('close flushes, then refuses new items as closed and sends nothing more', async () => {
    const { stub, h } = await setUp({}, { batch: { maxItems: 100, flushIntervalMs: 60_000 } });
    makeEvents(25).forEach((i) => h.transport.enqueue(i));
    const closed = await h.transport.close();
    expect(closed).toMatchObject({ settled: true, stats: { delivered: 25, dropped: exactly({}) } });
    expect(stub.items).toHaveLength(25);
    h.transport.enqueue(makeEvent());
    await h.transport.flush();
    expect(h.transport.stats().dropped).toEqual({ closed: 1 });
    expect(stub.requests).toHaveLength(1);
  });
});
