// 401/403 (DESIGN L5): items are kept, one batch probes at a time, and nothing is dropped until close.
import { afterEach, describe, expect, it } from 'vitest';
import { accept, fail } from '../test-support/stub-actions.js';
import { startStubCollector, type StubCollector } from '../test-support/stub-collector.js';
import { makeEvents } from '../test-support/make-items.js';
import { createTestTransport, type TransportHarness } from '../test-support/transport-harness.js';
import type { TransportError } from './transport-errors.js';
import { exactly } from '../test-support/exactly.js';

const open: { stub: StubCollector; h: TransportHarness }[] = [];

afterEach(async () => {
  for (const { stub, h } of open.splice(0)) {
    await h.transport.close({ timeoutMs: 100 });
    await stub.close();
  }
});

describe('transport through 401/403 (real sockets)', () => {
  it('401 for a while, then 202: no item dropped although the transient budget is long spent; one probe at a time', async () => {
    const AUTH_FAILURES = 15;
    const stub = await startStubCollector({ script: (req) => (req.n <= AUTH_FAILURES ? fail(401) : accept()) });
    const h = createTestTransport(stub.url, {
      maxInFlight: 3,
      batch: { maxItems: 10 },
      // Would drop any batch after 2 transient attempts or 20 ms: auth failures must not count.
      retry: { maxAttempts: 2, budgetMs: 20, authProbeMaxDelayMs: 20 },
    });
    open.push({ stub, h });
    const items = makeEvents(100);
    items.forEach((i) => h.transport.enqueue(i));
    const result = await h.transport.flush({ timeoutMs: 10_000 });

    expect(result).toMatchObject({
      settled: true,
      stats: { delivered: 100, dropped: exactly({}), authFailures: AUTH_FAILURES },
    });
    expect(stub.items).toHaveLength(100);
    expect(stub.resentAfterAck).toEqual([]);
    // The three slots met the first 401s together; after that only the probe spoke, always the same batch.
    const probes = stub.requests.slice(3, AUTH_FAILURES + 1);
    expect(probes.every((r) => r.concurrency === 1)).toBe(true);
    expect(new Set(probes.map((r) => r.itemIds.join()))).toHaveProperty('size', 1);
    expect(h.of('auth_failed').length).toBeGreaterThanOrEqual(AUTH_FAILURES - 2);
    expect(h.of('auth_failed').every((a) => a.status === 401 && a.nextProbeMs <= 20)).toBe(true);
    expect(h.errors.map((e) => (e as TransportError).code)).toEqual(['auth_failed']);
  });

  it('403 that never ends keeps every item until close; close with a timeout then counts them as closed', async () => {
    const stub = await startStubCollector({ script: () => fail(403) });
    let fetchCalls = 0;
    const countingFetch: typeof fetch = (input, init) => {
      fetchCalls += 1;
      return fetch(input, init);
    };
    const h = createTestTransport(
      stub.url,
      { batch: { maxItems: 5 }, retry: { maxAttempts: 1, budgetMs: 1 } },
      { fetch: countingFetch },
    );
    open.push({ stub, h });
    makeEvents(12).forEach((i) => h.transport.enqueue(i));
    const flushed = await h.transport.flush({ timeoutMs: 300 });
    expect(flushed).toMatchObject({ settled: false, stats: { dropped: exactly({}), delivered: 0 } });
    expect(flushed.stats.queued + flushed.stats.inFlight).toBe(12);
    expect(stub.requests.length).toBeGreaterThan(3);
    const closed = await h.transport.close({ timeoutMs: 50 });
    expect(closed).toMatchObject({
      settled: false,
      stats: { queued: 0, inFlight: 0, dropped: exactly({ closed: 12 }) },
    });
    // Counted at the client: a request sent just before close may still reach a busy stub after it.
    const callsAtClose = fetchCalls;
    await new Promise((r) => setTimeout(r, 100));
    expect(fetchCalls).toBe(callsAtClose);
  });

  it('a wrong API key (401 from the collector itself) keeps the items instead of dropping them', async () => {
    const stub = await startStubCollector({ apiKey: 'rotated-key' });
    const h = createTestTransport(stub.url, { retry: { authProbeMaxDelayMs: 20 } });
    open.push({ stub, h });
    makeEvents(3).forEach((i) => h.transport.enqueue(i));
    const flushed = await h.transport.flush({ timeoutMs: 200 });
    expect(flushed.stats).toMatchObject({ inFlight: 3 });
    expect(flushed.stats.dropped).toEqual({});
    expect(flushed.stats.authFailures).toBeGreaterThan(1);
  });
});
