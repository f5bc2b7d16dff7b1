// createTransport against an injected fetch (no sockets): queue bound, slots, batch ids, flush/close, never throwing.
import { describe, expect, it } from 'vitest';
import type { Item } from '@touchline/core';
import { ackFor, createFakeFetch, hang, type FakeCall } from '../test-support/fake-fetch.js';
import { makeEvent, makeEvents } from '../test-support/make-items.js';
import { createTestTransport } from '../test-support/transport-harness.js';
import type { TransportError } from './transport-errors.js';
import { exactly } from '../test-support/exactly.js';

const URL_ = 'http://collector.invalid';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('createTransport (injected fetch)', () => {
  it('counts queue-full drops exactly and reports the episode once', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const fake = createFakeFetch(async (call) => {
      await gate;
      return ackFor(call);
    });
    const h = createTestTransport(
      URL_,
      { maxQueueItems: 50, maxInFlight: 1, batch: { maxItems: 10 } },
      { fetch: fake.fetch },
    );
    for (const item of makeEvents(100)) h.transport.enqueue(item);
    // Items 1-10 left as a full batch at once; 11-60 fill the queue; 61-100 find it full.
    expect(h.transport.stats()).toMatchObject({ queued: 50, inFlight: 10, dropped: exactly({ queue_full: 40 }) });
    expect(h.droppedBy('queue_full')).toBe(40);
    expect(h.errors.map((e) => (e as TransportError).code)).toEqual(['queue_full']);
    release();
    const result = await h.transport.flush();
    expect(result).toMatchObject({ settled: true, stats: { queued: 0, inFlight: 0, delivered: 60 } });
    expect(fake.calls.flatMap((c) => c.body.items).length).toBe(60);
  });

  it('sends a fresh batch id on every attempt and the same item ids', async () => {
    const fake = createFakeFetch((call) => (call.n < 3 ? new Response('oops', { status: 500 }) : ackFor(call)));
    const h = createTestTransport(URL_, {}, { fetch: fake.fetch });
    const items = makeEvents(3);
    items.forEach((i) => h.transport.enqueue(i));
    await h.transport.flush();
    expect(fake.calls).toHaveLength(3);
    expect(new Set(fake.calls.map((c) => c.body.batch_id)).size).toBe(3);
    for (const call of fake.calls) expect(call.body.items.map((i) => i.id)).toEqual(items.map((i) => i.id));
    expect(fake.calls[0]?.headers).toMatchObject({
      authorization: 'Bearer test-key',
      'content-type': 'application/json',
    });
    expect(fake.calls[0]?.url).toBe(`${URL_}/api/v1/batch`);
    expect(h.of('retry').map((r) => r.attempt)).toEqual([1, 2]);
    expect(h.of('delivered')).toEqual([{ batchId: fake.calls[2]?.body.batch_id, items: 3, duplicates: 0, attempt: 3 }]);
  });

  it('never has more than maxInFlight requests open, retries included', async () => {
    const fake = createFakeFetch(async (call: FakeCall) => {
      await sleep(5);
      return call.n % 3 === 0 ? new Response('', { status: 503 }) : ackFor(call);
    });
    const h = createTestTransport(URL_, { maxInFlight: 3, batch: { maxItems: 5 } }, { fetch: fake.fetch });
    const items = makeEvents(100);
    items.forEach((i) => h.transport.enqueue(i));
    const result = await h.transport.flush();
    expect(result.settled).toBe(true);
    expect(fake.maxOpen).toBe(3);
    expect(result.stats.delivered).toBe(100);
  });

  it('batches by interval when the batch does not fill', async () => {
    const fake = createFakeFetch();
    const h = createTestTransport(URL_, { batch: { maxItems: 10, flushIntervalMs: 30 } }, { fetch: fake.fetch });
    makeEvents(3).forEach((i) => h.transport.enqueue(i));
    expect(fake.calls).toHaveLength(0);
    await sleep(80);
    expect(fake.calls.map((c) => c.body.items.length)).toEqual([3]);
    expect(h.transport.stats().delivered).toBe(3);
  });

  it('flush with nothing to do resolves settled at once', async () => {
    const h = createTestTransport(URL_, {}, { fetch: createFakeFetch().fetch });
    expect(await h.transport.flush()).toMatchObject({ settled: true, stats: { queued: 0, inFlight: 0 } });
  });

  it('flush timeout resolves settled=false; close then drops the rest as closed and aborts the request', async () => {
    const fake = createFakeFetch(() => hang());
    const h = createTestTransport(URL_, { batch: { maxItems: 5 } }, { fetch: fake.fetch });
    makeEvents(7).forEach((i) => h.transport.enqueue(i));
    const flushed = await h.transport.flush({ timeoutMs: 30 });
    expect(flushed).toMatchObject({ settled: false, stats: { inFlight: 7, queued: 0 } });
    const closed = await h.transport.close({ timeoutMs: 30 });
    expect(closed).toMatchObject({
      settled: false,
      stats: { queued: 0, inFlight: 0, dropped: exactly({ closed: 7 }) },
    });
    expect(fake.calls.every((c) => c.signal?.aborted)).toBe(true);
    h.transport.enqueue(makeEvent());
    expect(h.transport.stats().dropped.closed).toBe(8);
    expect(await h.transport.close()).toBe(closed);
  });

  it('never throws into the caller, whatever breaks', async () => {
    const throwing = (() => {
      throw new Error('fetch exploded');
    }) as unknown as typeof fetch;
    const h = createTestTransport(
      URL_,
      { batch: { maxItems: 1 }, retry: { maxAttempts: 2 } },
      {
        fetch: throwing,
        onError: () => {
          throw new Error('handler exploded');
        },
      },
    );
    const bad = makeEvent('bigint', { properties: { n: 1n } }) as Item;
    expect(() => h.transport.enqueue(bad)).not.toThrow();
    expect(() => h.transport.enqueue(makeEvent())).not.toThrow();
    const result = await h.transport.flush();
    expect(result.stats.dropped).toEqual({ unserializable: 1, retry_budget: 1 });
    await expect(h.transport.close()).resolves.toMatchObject({ settled: true });
  });

  it('drops items over the per-item limit at enqueue, as too_large', () => {
    const h = createTestTransport(URL_, {}, { fetch: createFakeFetch().fetch });
    h.transport.enqueue(makeEvent('huge', { padding: 40_000 }));
    expect(h.transport.stats().dropped).toEqual({ too_large: 1 });
    expect((h.errors[0] as TransportError).code).toBe('too_large');
  });

  it('emits error events itself when no onError is given', async () => {
    const fake = createFakeFetch(() => new Response('{"error":{"code":"bad","message":"no"}}', { status: 400 }));
    const h = createTestTransport(URL_, { batch: { maxItems: 1 } }, { fetch: fake.fetch, onError: null });
    h.transport.enqueue(makeEvent());
    await h.transport.flush();
    expect(h.of('error')).toHaveLength(1);
    expect(h.of('dropped')).toEqual([{ count: 1, reason: 'rejected' }]);
  });
});
