// The transport against a real collector stub on 127.0.0.1 that fails in scripted ways.
import { afterEach, describe, expect, it } from 'vitest';
import { accept, fail, reset, swap } from '../test-support/stub-actions.js';
import { startStubCollector, type StubCollector } from '../test-support/stub-collector.js';
import { makeEvent, makeEvents } from '../test-support/make-items.js';
import { createTestTransport, type TransportHarness } from '../test-support/transport-harness.js';
import type { TransportError } from './transport-errors.js';
import { exactly } from '../test-support/exactly.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const open: { stub?: StubCollector; h?: TransportHarness }[] = [];

async function setUp(
  options: Parameters<typeof startStubCollector>[0],
  settings: Parameters<typeof createTestTransport>[1] = {},
) {
  const stub = await startStubCollector(options);
  const h = createTestTransport(stub.url, settings);
  open.push({ stub, h });
  return { stub, h };
}

afterEach(async () => {
  for (const { stub, h } of open.splice(0)) {
    await h?.transport.close({ timeoutMs: 1000 });
    await stub?.close();
  }
});

/** Every item stored exactly once, none lost, none re-sent after a correct acknowledgement. */
function expectExactlyOnce(stub: StubCollector, ids: string[]): void {
  expect(stub.items.map((i) => i.id).sort()).toEqual([...ids].sort());
  expect(stub.resentAfterAck).toEqual([]);
}

describe('transport against a faulty collector (real sockets)', () => {
  it('collector down (connection refused), then up on the same port: nothing lost, nothing doubled', async () => {
    const { stub, h } = await setUp({});
    await stub.down();
    const items = makeEvents(200);
    items.forEach((i) => h.transport.enqueue(i));
    await sleep(150);
    expect(stub.requests).toHaveLength(0);
    expect(h.of('retry').every((r) => r.reason === 'network' && r.status === null)).toBe(true);
    expect(h.of('retry').length).toBeGreaterThan(0);
    await stub.up();
    const result = await h.transport.flush({ timeoutMs: 5000 });
    expect(result).toMatchObject({
      settled: true,
      stats: { delivered: 200, dropped: exactly({}), queued: 0, inFlight: 0 },
    });
    expectExactlyOnce(
      stub,
      items.map((i) => i.id),
    );
  });

  it('500s are retried with backoff; 429 Retry-After is honoured (capped at maxRetryAfterMs)', async () => {
    const { stub, h } = await setUp(
      {
        script: (req) =>
          req.n <= 2 ? fail(500) : req.n === 3 ? fail(429, { headers: { 'retry-after': '1' } }) : accept(),
      },
      { retry: { maxRetryAfterMs: 250 } },
    );
    const items = makeEvents(5);
    items.forEach((i) => h.transport.enqueue(i));
    await h.transport.flush({ timeoutMs: 5000 });
    expect(h.of('retry').map((r) => [r.reason, r.status])).toEqual([
      ['http_500', 500],
      ['http_500', 500],
      ['http_429', 429],
    ]);
    expect(h.of('retry')[2]?.delayMs).toBe(250);
    const [third, fourth] = [stub.requests[2], stub.requests[3]];
    expect((fourth?.receivedAt ?? 0) - (third?.receivedAt ?? 0)).toBeGreaterThanOrEqual(240);
    expect(h.transport.stats()).toMatchObject({ delivered: 5, retries: 3 });
    expect(h.transport.stats().dropped).toEqual({});
    expectExactlyOnce(
      stub,
      items.map((i) => i.id),
    );
  });

  it('answers slower than requestTimeoutMs time out and are retried; the collector stores each item once', async () => {
    const { stub, h } = await setUp(
      { script: (req) => (req.n <= 2 ? accept(400) : accept()) },
      { requestTimeoutMs: 100 },
    );
    const items = makeEvents(8);
    items.forEach((i) => h.transport.enqueue(i));
    await h.transport.flush({ timeoutMs: 5000 });
    expect(
      h
        .of('retry')
        .slice(0, 2)
        .map((r) => r.reason),
    ).toEqual(['timeout', 'timeout']);
    expect(items.every((i) => stub.timesReceived(i.id) === 3)).toBe(true);
    expect(h.of('delivered')).toEqual([expect.objectContaining({ items: 8, duplicates: 8, attempt: 3 })]);
    expectExactlyOnce(
      stub,
      items.map((i) => i.id),
    );
  });

  it('swapped response bodies (L4) are failed deliveries: retried with a new batch id, never counted as delivered', async () => {
    const { stub, h } = await setUp(
      { script: (req) => (req.n <= 6 ? swap(40) : accept()) },
      { maxInFlight: 2, batch: { maxItems: 10 } },
    );
    const items = makeEvents(100);
    items.forEach((i) => h.transport.enqueue(i));
    const result = await h.transport.flush({ timeoutMs: 5000 });
    expect(result.stats).toMatchObject({ delivered: 100 });
    expect(result.stats.dropped).toEqual({});
    expect(h.of('retry').filter((r) => r.reason === 'batch_id_mismatch')).toHaveLength(6);
    const swappedIds = new Set(stub.requests.slice(0, 6).map((r) => r.batchId));
    expect(h.of('delivered').some((d) => swappedIds.has(d.batchId))).toBe(false);
    expect(new Set(stub.requests.map((r) => r.batchId)).size).toBe(stub.requests.length);
    expectExactlyOnce(
      stub,
      items.map((i) => i.id),
    );
  });

  it('a connection reset after the collector stored the batch (lost ack) is retried and deduplicated', async () => {
    const { stub, h } = await setUp({ script: (req) => (req.n <= 2 ? reset({ store: true }) : accept()) });
    const items = makeEvents(4);
    items.forEach((i) => h.transport.enqueue(i));
    await h.transport.flush({ timeoutMs: 5000 });
    expect(h.of('retry').map((r) => r.reason)).toEqual(['network', 'network']);
    expect(h.of('delivered')).toEqual([expect.objectContaining({ items: 4, duplicates: 4 })]);
    expectExactlyOnce(
      stub,
      items.map((i) => i.id),
    );
  });

  it('413 splits the batch in halves until it fits; a lone item that still gets 413 is dropped as too_large', async () => {
    const { stub, h } = await setUp({ maxBodyBytes: 3000 }, { batch: { maxItems: 20 } });
    const small = makeEvents(40);
    const big = makeEvent('big', { padding: 4000 });
    [...small.slice(0, 13), big, ...small.slice(13)].forEach((i) => h.transport.enqueue(i));
    const result = await h.transport.flush({ timeoutMs: 5000 });
    expect(result.stats).toMatchObject({ delivered: 40, dropped: exactly({ too_large: 1 }) });
    expect(h.errors.filter((e) => (e as TransportError).code === 'too_large')).toHaveLength(1);
    expect(stub.requests.some((r) => r.itemIds.length === 1 && r.itemIds[0] === big.id)).toBe(true);
    expectExactlyOnce(
      stub,
      small.map((i) => i.id),
    );
  });

  it('items the collector rejects one by one are dropped with their message and not retried; the rest are delivered', async () => {
    const { stub, h } = await setUp({
      rejectItem: (item) =>
        item.type === 'event' && item.name === 'bad'
          ? { code: 'reserved_name', message: 'name "bad" is reserved' }
          : null,
    });
    const good = makeEvents(30);
    const bad = makeEvents(5, 'bad');
    good.forEach((item, i) => {
      h.transport.enqueue(item);
      if (i % 6 === 0) h.transport.enqueue(bad[i / 6]!);
    });
    const result = await h.transport.flush({ timeoutMs: 5000 });
    expect(result.stats).toMatchObject({ delivered: 30, dropped: exactly({ rejected: 5 }), retries: 0 });
    const rejections = h.errors.filter((e) => (e as TransportError).code === 'rejected') as TransportError[];
    expect(rejections.map((e) => e.itemId).sort()).toEqual(bad.map((i) => i.id).sort());
    expect(rejections[0]?.message).toContain('name "bad" is reserved');
    expect(bad.every((i) => stub.timesReceived(i.id) === 1)).toBe(true);
    expectExactlyOnce(
      stub,
      good.map((i) => i.id),
    );
  });

  it('a 400 for the whole batch drops it as rejected, once, without retrying', async () => {
    const { stub, h } = await setUp({ script: () => fail(400) }, { batch: { maxItems: 10 } });
    makeEvents(25).forEach((i) => h.transport.enqueue(i));
    const result = await h.transport.flush({ timeoutMs: 5000 });
    expect(result.stats).toMatchObject({ delivered: 0, dropped: exactly({ rejected: 25 }), retries: 0 });
    expect(stub.requests).toHaveLength(3);
    expect(h.droppedBy('rejected')).toBe(25);
  });

  it('a collector that keeps failing spends the retry budget after maxAttempts, and the drop is counted', async () => {
    const { stub, h } = await setUp(
      { script: () => fail(503) },
      { retry: { maxAttempts: 3 }, batch: { maxItems: 10 } },
    );
    makeEvents(20).forEach((i) => h.transport.enqueue(i));
    const result = await h.transport.flush({ timeoutMs: 5000 });
    expect(result).toMatchObject({
      settled: true,
      stats: { delivered: 0, dropped: exactly({ retry_budget: 20 }), retries: 4 },
    });
    expect(stub.requests).toHaveLength(6);
    expect(h.errors.map((e) => (e as TransportError).code)).toEqual(['retry_budget', 'retry_budget']);
  });

  it('under mixed faults and bursty load every item is stored exactly once and none is re-sent after its ack', async () => {
    const script = (req: { n: number }) => {
      if (req.n % 7 === 0) return fail(500);
      if (req.n % 11 === 0) return swap(10);
      if (req.n % 13 === 0) return reset({ store: true });
      if (req.n % 17 === 0) return fail(429, { headers: { 'retry-after': '0' } });
      return accept(req.n % 3 === 0 ? 5 : 0);
    };
    const { stub, h } = await setUp({ script }, { maxInFlight: 4, batch: { maxItems: 25, flushIntervalMs: 5 } });
    const items = makeEvents(2000);
    for (let wave = 0; wave < 20; wave += 1) {
      items.slice(wave * 100, wave * 100 + 100).forEach((i) => h.transport.enqueue(i));
      await sleep(3);
    }
    const result = await h.transport.flush({ timeoutMs: 15_000 });
    expect(result).toMatchObject({
      settled: true,
      stats: { delivered: 2000, dropped: exactly({}), queued: 0, inFlight: 0 },
    });
    expect(h.transport.stats().retries).toBeGreaterThan(0);
    expectExactlyOnce(
      stub,
      items.map((i) => i.id),
    );
  });
});
