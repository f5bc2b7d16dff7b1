// DESIGN L5 end to end: the real SDK rides out two simulated minutes of 401 and a collector whose keys are not loaded yet (503, never 401).
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { createClient, type TouchlineClient } from '@touchline/node';
import { openSqliteStorage, type Storage } from '@touchline/storage';
import { createCollector, type Collector } from './create-collector.js';
import { generateKey } from './http/auth/api-keys.js';
import { getJson, startCollector, type Fixture } from './test-support/collector-fixture.js';
import { createVirtualClock } from './test-support/virtual-clock.js';
import { exactly } from '../../node/src/test-support/exactly.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A fetch that counts answers by status and lets the test wait until no request is open (body read included). */
function trackingFetch() {
  const open = new Set<Promise<unknown>>();
  const statuses: number[] = [];
  const wrapped: typeof fetch = (input, init) => {
    const p = (async () => {
      const res = await fetch(input, init);
      const body = await res.arrayBuffer();
      statuses.push(res.status);
      return new Response(body, { status: res.status, headers: res.headers });
    })();
    open.add(p);
    void p.catch(() => undefined).finally(() => open.delete(p));
    return p;
  };
  /** Waits until every request started (also by the callbacks of the ones that finished) has been answered and handled. */
  const settle = async (): Promise<void> => {
    for (let rounds = 0; rounds < 1000; rounds++) {
      await Promise.allSettled([...open]);
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      if (open.size === 0) return;
    }
    throw new Error('requests kept starting while settling');
  };
  return { fetch: wrapped, statuses, settle };
}

async function insertKey(storage: Storage, account: string, key: ReturnType<typeof generateKey>): Promise<void> {
  const acct = await storage.ensureAccount(account, Date.now());
  await storage.insertKey({
    id: newId(),
    accountId: acct.id,
    prefix: key.prefix,
    hash: key.hash,
    mode: 'live',
    scopes: ['ingest', 'read'],
    createdAt: Date.now(),
    revokedAt: null,
  });
}

describe('L5: key outages never switch the SDK off', () => {
  it('401 for two simulated minutes, then the key syncs: every buffered event arrives, the same client, default retry policy', async () => {
    const fx: Fixture = await startCollector();
    cleanup.push(() => fx.close());
    const key = generateKey('live'); // the app was deployed with a key this collector has not synced yet
    const clock = createVirtualClock(Date.now());
    const net = trackingFetch();
    const client: TouchlineClient = createClient({
      apiKey: key.secret,
      endpoint: fx.url,
      now: clock.now,
      scheduler: clock.scheduler,
      fetch: net.fetch,
    });
    cleanup.push(() => client.close({ timeoutMs: 1 }));
    const authFailures: number[] = [];
    const drops: string[] = [];
    client.on('auth_failed', (a) => authFailures.push(a.nextProbeMs));
    client.on('dropped', (d) => drops.push(d.reason));

    const visitor = randomUUID();
    let recorded = 0;
    for (let second = 0; second < 120; second += 5) {
      // the app keeps recording through the outage
      for (let i = 0; i < 5; i++) client.event('during-outage', { second, i }, { visitorId: visitor });
      recorded += 5;
      await clock.advanceBy(5_000, net.settle);
    }
    const during = [...net.statuses];
    expect(new Set(during)).toEqual(new Set([401]));
    expect(during.length).toBeGreaterThanOrEqual(3); // it kept probing...
    expect(during.length).toBeLessThanOrEqual(40); // ...with backoff, not a request per batch per second
    expect(authFailures.every((ms) => ms <= 60_000)).toBe(true); // never longer than authProbeMaxDelayMs
    expect(client.stats()).toMatchObject({ delivered: 0 });
    expect(client.stats().dropped).toEqual({});

    await insertKey(fx.storage, 'late-key', key);
    await fx.collector.keys.refresh();
    for (let waited = 0; waited < 180_000 && client.stats().delivered < recorded; waited += 1_000)
      await clock.advanceBy(1_000, net.settle);

    expect(client.stats()).toMatchObject({ delivered: recorded, queued: 0, inFlight: 0 });
    expect(client.stats().dropped).toEqual({});
    expect(drops).toEqual([]);
    expect(net.statuses.slice(during.length).every((s) => s === 202)).toBe(true);
    await fx.collector.worker.drain();
    const stored = await getJson(fx.url, key.secret, `/api/v1/visitors/${visitor}`);
    expect((stored.body as { events: unknown[] }).events).toHaveLength(recorded);
  });

  it('a collector that is listening but has not loaded its keys answers 503 + Retry-After over the socket, never 401; the SDK waits and delivers', async () => {
    const storage = openSqliteStorage({ path: ':memory:' });
    await storage.migrate();
    const key = generateKey('live');
    await insertKey(storage, 'shop', key);
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    // The key table is slow to load (a cold replica): loadActiveKeys waits for the gate.
    const slowKeys: Storage = new Proxy(storage, {
      get(target, prop, receiver) {
        if (prop === 'loadActiveKeys')
          return async () => {
            await gate;
            return target.loadActiveKeys();
          };
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const collector: Collector = createCollector({ storage: slowKeys, settings: { port: 0 } });
    const started = collector.start();
    cleanup.push(async () => {
      openGate();
      await started.catch(() => undefined);
      await collector.close();
    });
    // start() listens before it loads keys: wait for the socket, not for start().
    while (collector.app.server.address() === null) await new Promise((r) => setTimeout(r, 10));
    const address = collector.app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;

    const raw = await fetch(`${url}/api/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect([raw.status, raw.headers.get('retry-after')]).toEqual([503, '1']);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('not_ready');
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect((await getJson(url, 'tl_live_not-a-key-at-all-not-a-key-at-all-xx', '/api/v1/stats')).status).toBe(503); // not even for unknown keys

    const statuses: number[] = [];
    const client = createClient({
      apiKey: key.secret,
      endpoint: url,
      batch: { flushIntervalMs: 10 },
      retry: { baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 200 },
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        statuses.push(res.status);
        return res;
      },
    });
    cleanup.push(() => client.close({ timeoutMs: 1 }));
    const authFailed: unknown[] = [];
    client.on('auth_failed', (a) => authFailed.push(a));
    for (let i = 0; i < 20; i++) client.event('while-starting', { i }, { visitorId: randomUUID() });
    while (!statuses.includes(503)) await new Promise((r) => setTimeout(r, 10));
    openGate();
    await started;
    const flushed = await client.flush({ timeoutMs: 10_000 });
    expect(flushed).toMatchObject({ settled: true, stats: { delivered: 20, dropped: exactly({}) } });
    expect(statuses).not.toContain(401);
    expect(statuses).toContain(202);
    expect(authFailed).toEqual([]);
  });
});
