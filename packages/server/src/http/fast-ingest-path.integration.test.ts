// The fast single-item ingest path over real sockets and real SQLite: what it claims, and that it answers exactly as the fastify routes do.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newId } from '@touchline/core';
import type { Storage } from '@touchline/storage';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sqliteFactory } from '../../../storage/src/test-support/storage-factories.js';
import { createInboxWriter } from '../ingest/inbox-writer.js';
import { createCollectorMetrics } from '../metrics/collector-metrics.js';
import { parseServerSettings, type ServerSettingsInput } from '../server-settings.js';
import { startCollector, type Fixture } from '../test-support/collector-fixture.js';
import { generateKey } from './auth/api-keys.js';
import { createKeyCache, type KeyCache } from './auth/key-cache.js';
import { createFastIngestPath } from './fast-ingest-path.js';
import { createRateLimiter } from './rate-limit/rate-limiter.js';

/** A single-item body: the item's common fields (no type) and its type's own, plus a batch id. */
function single(type: 'event' | 'conversion' | 'identify', at = Date.now()): Record<string, unknown> {
  const common = { batch_id: 'b-1', id: newId(at), timestamp: new Date(at).toISOString(), visitor_id: newId(), session_id: null, context: null };
  if (type === 'conversion') return { ...common, name: 'purchase', revenue: 19.9, currency: 'EUR', properties: {} };
  if (type === 'identify') return { ...common, user_id: 'u-1', traits: {} };
  return { ...common, name: 'clicked', properties: { a: 1 } };
}

describe('createFastIngestPath on a bare node:http server', () => {
  let storage: Storage;
  let keys: KeyCache;
  let remove: () => Promise<void>;
  let server: Server;
  let url: string;
  let secret: string;
  let readOnly: string;
  let closing = false;
  let fellThrough: string[];
  const errors: Error[] = [];

  async function serve(settings: ServerSettingsInput = {}): Promise<void> {
    const parsed = parseServerSettings({ port: 0, ...settings });
    const metrics = createCollectorMetrics(storage, Date.now);
    const limiter = createRateLimiter({ settings: parsed.rateLimit, registry: metrics.registry, now: Date.now });
    const fast = createFastIngestPath({
      inbox: createInboxWriter(storage, Date.now), keys, limiter, settings: parsed, metrics, now: Date.now, health: { fault: null, report: () => false },
      onError: (e) => errors.push(e), isClosing: () => closing,
    });
    server = createServer((req, res) => {
      if (fast(req, res)) return;
      fellThrough.push(`${req.method} ${req.url}`);
      req.resume();
      res.writeHead(599).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function addKey(scopes: Array<'ingest' | 'read'>): Promise<string> {
    const account = await storage.ensureAccount('shop', Date.now());
    const key = generateKey('live');
    await storage.insertKey({ id: newId(), accountId: account.id, prefix: key.prefix, hash: key.hash, mode: 'live', scopes, createdAt: Date.now(), revokedAt: null });
    return key.secret;
  }

  beforeEach(async () => {
    const db = await sqliteFactory.open();
    ({ storage, remove } = db);
    keys = createKeyCache(storage);
    secret = await addKey(['ingest', 'read']);
    readOnly = await addKey(['read']);
    await keys.refresh();
    closing = false;
    fellThrough = [];
    errors.length = 0;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await remove();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, {
    method: 'POST', body, headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
  });

  it('stores a valid item of each single-item route durably before its 202', async () => {
    await serve();
    for (const [path, type] of [['/api/v1/events', 'event'], ['/api/v1/conversions', 'conversion'], ['/api/v1/identify', 'identify']] as const) {
      const body = single(type);
      const res = await post(path, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8' });
      expect(res.status, path).toBe(202);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toEqual({ batch_id: 'b-1', accepted: 1, duplicates: 0, errors: [] });
    }
    const rows = await storage.claimInbox({ limit: 10, leaseMs: 1000, now: Date.now() });
    expect(rows.map((r) => r.type).sort()).toEqual(['conversion', 'event', 'identify']);
    expect(fellThrough).toEqual([]);
  });

  it('leaves to fastify every request it would not route to the handler: keys, types, lengths, methods, paths, closing', async () => {
    await serve({ bodyLimitBytes: 2048 });
    const body = JSON.stringify(single('event'));
    const answers = [
      await post('/api/v1/events', body, { authorization: 'Bearer tl_test_unknown' }),
      await post('/api/v1/events', body, { authorization: `Bearer ${readOnly}` }),
      await post('/api/v1/events', body, { authorization: '' }),
      await post('/api/v1/events', body, { 'content-type': 'text/plain' }),
      await post('/api/v1/events', body, { 'content-type': 'application/json; charset=latin1' }),
      await post('/api/v1/events', JSON.stringify({ ...single('event'), pad: 'x'.repeat(3000) })),
      await post('/api/v1/events', ''),
      await post('/api/v1/events?x=1', body),
      await post('/api/v1/events/', body),
      await post('/api/v1/batch', body),
      await fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${secret}` } }),
    ];
    closing = true;
    answers.push(await post('/api/v1/events', body));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(599));
    expect(fellThrough).toHaveLength(12);
    expect(await storage.claimInbox({ limit: 10, leaseMs: 1000, now: Date.now() })).toEqual([]);
  });

  it('falls through while the key cache has not loaded, so fastify answers 503, never 401', async () => {
    keys = createKeyCache(storage);
    await serve();
    expect((await post('/api/v1/events', JSON.stringify(single('event')))).status).toBe(599);
  });

  it('rate limits with the shared buckets: 429 with Retry-After once the key bucket is empty', async () => {
    await serve({ rateLimit: { perKey: { ratePerSecond: 1, burst: 2 } } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await post('/api/v1/events', JSON.stringify(single('event')));
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect(await res.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/limit 1\/s per key/) } });
      }
    }
    expect(statuses).toEqual([202, 202, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(await storage.claimInbox({ limit: 10, leaseMs: 1000, now: Date.now() })).toHaveLength(2);
  });

  it('answers 500 and reports the error when the inbox write fails, and stores nothing', async () => {
    await serve();
    await storage.close();
    const res = await post('/api/v1/events', JSON.stringify(single('event')));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'internal', message: 'internal error; the request was not stored' } });
    expect(errors).toHaveLength(1);
  });
});

describe('the fast path and the fastify routes answer alike', () => {
  let fx: Fixture;
  let secret: string;
  beforeAll(async () => {
    fx = await startCollector({ worker: { enabled: false } });
    secret = await fx.keyFor('shop');
  });
  afterAll(async () => { await fx.close(); });

  /** The same request over a socket (the fast path claims what it can) and through app.inject (fastify only). */
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
    ['prototype keys in the properties', '/api/v1/events', () => ({ ...single('event'), properties: JSON.parse('{"__proto__":{"x":1},"a":1}') as unknown })],
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
