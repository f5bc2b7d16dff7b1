// The single-item ingest routes (POST /api/v1/events, /conversions, /identify) over real sockets and real SQLite: stored before their 202, and answered on the wire exactly as through app.inject.
import { newId } from '@touchline/core';
import type { Storage } from '@touchline/storage';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Fixture } from '../../test-support/collector-fixture.js';

/** A single-item body: the item's common fields (no type) and its type's own, plus a batch id. */
function single(type: 'event' | 'conversion' | 'identify', at = Date.now()): Record<string, unknown> {
  const common = {
    batch_id: 'b-1',
    id: newId(at),
    timestamp: new Date(at).toISOString(),
    visitor_id: newId(),
    session_id: null,
    context: null,
  };
  if (type === 'conversion') return { ...common, name: 'purchase', revenue: 19.9, currency: 'EUR', properties: {} };
  if (type === 'identify') return { ...common, user_id: 'u-1', traits: {} };
  return { ...common, name: 'clicked', properties: { a: 1 } };
}

describe('the single-item routes on the collector', () => {
  let fx: Fixture | null = null;
  afterEach(async () => {
    await fx?.close();
    fx = null;
  });

  const post = (f: Fixture, secret: string, path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${f.url}${path}`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
    });
  const claim = (storage: Storage) => storage.claimInbox({ limit: 10, leaseMs: 1000, now: Date.now() });

  it('stores a valid item of each single-item route durably before its 202', async () => {
    fx = await startCollector({ worker: { enabled: false } });
    const secret = await fx.keyFor('shop');
    for (const [path, type] of [
      ['/api/v1/events', 'event'],
      ['/api/v1/conversions', 'conversion'],
      ['/api/v1/identify', 'identify'],
    ] as const) {
      const res = await post(fx, secret, path, JSON.stringify(single(type)), {
        'content-type': 'application/json; charset=utf-8',
      });
      expect(res.status, path).toBe(202);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toEqual({ batch_id: 'b-1', accepted: 1, duplicates: 0, errors: [] });
    }
    expect((await claim(fx.storage)).map((r) => r.type).sort()).toEqual(['conversion', 'event', 'identify']);
  });

  it('rate limits with the shared buckets: 429 with Retry-After once the key bucket is empty', async () => {
    fx = await startCollector({ worker: { enabled: false }, rateLimit: { perKey: { ratePerSecond: 1, burst: 2 } } });
    const secret = await fx.keyFor('shop');
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await post(fx, secret, '/api/v1/events', JSON.stringify(single('event')));
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect(await res.json()).toEqual({
          error: { code: 'rate_limited', message: expect.stringMatching(/limit 1\/s per key/) as unknown },
        });
      }
    }
    expect(statuses).toEqual([202, 202, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(await claim(fx.storage)).toHaveLength(2);
  });
});

describe('the single-item routes answer alike over a socket and through app.inject', () => {
  let fx: Fixture;
  let secret: string;
  beforeAll(async () => {
    fx = await startCollector({ worker: { enabled: false } });
    secret = await fx.keyFor('shop');
  });
  afterAll(async () => {
    await fx.close();
  });

  /** The same request over a socket (the collector's own node:http server) and through app.inject. */
  async function both(path: string, body: string, injectedBody = body) {
    const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
    const socket = await fetch(`${fx.url}${path}`, { method: 'POST', headers, body });
    const injected = await fx.collector.app.inject({ method: 'POST', url: path, headers, payload: injectedBody });
    return {
      socket: { status: socket.status, type: socket.headers.get('content-type'), body: await socket.text() },
      injected: { status: injected.statusCode, type: injected.headers['content-type'], body: injected.body },
    };
  }

  it.each([
    ['a valid event', '/api/v1/events', () => single('event')],
    ['a valid conversion', '/api/v1/conversions', () => single('conversion')],
    ['a valid identify', '/api/v1/identify', () => single('identify')],
    [
      'prototype keys in the properties',
      '/api/v1/events',
      () => ({ ...single('event'), properties: JSON.parse('{"__proto__":{"x":1},"a":1}') as unknown }),
    ],
  ])('%s', async (_what, path, make) => {
    // Each side gets its own item id (a second copy would be a duplicate); accepted items' ids are not in the answer.
    const { socket, injected } = await both(path, JSON.stringify(make()), JSON.stringify(make()));
    expect(socket.status).toBe(202);
    expect(socket).toEqual(injected);
  });

  it.each([
    ['an item with a far-future timestamp', '/api/v1/events', () => single('event', Date.now() + 86_400_000)],
    ['an item missing its visitor id', '/api/v1/events', () => ({ ...single('event'), visitor_id: undefined })],
    ['an item with a wrong field type', '/api/v1/conversions', () => ({ ...single('conversion'), revenue: 'lots' })],
    ['a JSON array', '/api/v1/events', () => [single('event')]],
    ['a JSON string', '/api/v1/events', () => 'event'],
  ])('%s', async (_what, path, make) => {
    // Rejected, so nothing is stored: both sides get the very same body (its item id is in the answer).
    const { socket, injected } = await both(path, JSON.stringify(make()));
    expect(socket.status).toBe(400);
    expect(socket).toEqual(injected);
  });

  it('malformed JSON', async () => {
    const { socket, injected } = await both('/api/v1/events', '{"id": "x",');
    expect(socket.status).toBe(400);
    expect(socket).toEqual(injected);
  });

  it('a repeated item: acknowledged again as a duplicate', async () => {
    const body = JSON.stringify(single('event'));
    const { socket, injected } = await both('/api/v1/events', body);
    expect(JSON.parse(socket.body)).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(JSON.parse(injected.body)).toMatchObject({ accepted: 0, duplicates: 1 });
    const again = await both('/api/v1/events', body);
    expect(again.socket).toEqual(again.injected);
  });
});
