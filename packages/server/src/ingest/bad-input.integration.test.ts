// Nasty payloads and fast-check fuzz against the real ingest API over real sockets: always a 2xx or a JSON 4xx, never a crash.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { eventItem, getJson, startCollector, type Fixture } from '../test-support/collector-fixture.js';
import { rawRequest, type RawResponse } from '../test-support/raw-http.js';

let fx: Fixture;
let key: string;
let port: number;
const BODY_LIMIT = 256 * 1024;

beforeAll(async () => {
  fx = await startCollector({ bodyLimitBytes: BODY_LIMIT, requestTimeoutMs: 1000, worker: { enabled: false } });
  key = await fx.keyFor('fuzz');
  port = Number(new URL(fx.url).port);
});
afterAll(async () => {
  await fx.close();
});

const head = (path: string, headers: Record<string, string | number>, method = 'POST'): string =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

/** A complete request with a Content-Length matching `body`. */
function rawPost(
  body: string | Buffer,
  contentType: string | null = 'application/json',
  path = '/api/v1/batch',
): Promise<RawResponse | null> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const headers: Record<string, string | number> = { authorization: `Bearer ${key}`, 'content-length': bytes.length };
  if (contentType !== null) headers['content-type'] = contentType;
  return rawRequest(port, { head: Buffer.concat([Buffer.from(head(path, headers)), bytes]) });
}

function envelope(items: unknown[]): Record<string, unknown> {
  return { batch_id: newId(), sent_at: new Date().toISOString(), sdk: { name: 'fuzz', version: '0' }, items };
}

/** The contract: a 2xx, or a 4xx whose body is {"error":{"code","message"}} with both non-empty. */
function expectClearAnswer(res: RawResponse | null, what: string): void {
  expect(res, `${what}: the connection closed without an answer`).not.toBeNull();
  const { status, body } = res!;
  expect(
    status >= 200 && status < 500 && !(status >= 300 && status < 400),
    `${what}: status ${status} ${body.slice(0, 200)}`,
  ).toBe(true);
  if (status < 400) return;
  const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof parsed.error?.code === 'string' && parsed.error.code.length > 0, `${what}: ${body.slice(0, 200)}`).toBe(
    true,
  );
  expect(
    typeof parsed.error?.message === 'string' && parsed.error.message.length > 5,
    `${what}: ${body.slice(0, 200)}`,
  ).toBe(true);
}

async function expectAlive(): Promise<void> {
  expect((await fetch(`${fx.url}/healthz`)).status).toBe(200);
}

const deep = (n: number, open: string, close: string, inner = '1'): string => open.repeat(n) + inner + close.repeat(n);
const manyProps = (n: number): string => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`;
const good = (): string => JSON.stringify(envelope([eventItem(randomUUID(), null, Date.now())]));

describe('bad input against the real ingest API', () => {
  it('answers every payload of the nasty corpus with a 2xx or a clear JSON 4xx, and keeps running', async () => {
    const item = (over: Record<string, unknown>) => ({ ...eventItem(randomUUID(), null, Date.now()), ...over });
    const corpus: Array<[string, () => Promise<RawResponse | null>, number | null]> = [
      ['truncated JSON', () => rawPost('{"batch_id":"x","items":['), 400],
      ['trailing garbage', () => rawPost(`${good()} }}}`), 400],
      ['single quotes', () => rawPost("{'batch_id':'x'}"), 400],
      ['NaN literal', () => rawPost('{"batch_id":NaN}'), 400],
      [
        'invalid UTF-8 bytes',
        () =>
          rawPost(
            Buffer.concat([
              Buffer.from('{"batch_id":"'),
              Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
              Buffer.from('","items":[]}'),
            ]),
          ),
        400,
      ],
      [
        'lone surrogate escape in a property',
        () => rawPost(JSON.stringify(envelope([item({ properties: { s: '\ud800' } })]))),
        null,
      ],
      [
        'UTF-16 BOM body',
        () => rawPost(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(good(), 'utf16le')])),
        400,
      ],
      [
        'huge number as revenue',
        () =>
          rawPost(
            JSON.stringify(envelope([])).replace(
              '"items":[]',
              `"items":[${JSON.stringify({ ...item({ type: 'conversion', name: 'buy', currency: 'EUR', properties: {} }), revenue: 0 }).replace('"revenue":0', '"revenue":1e400')}]`,
            ),
          ),
        400,
      ],
      ['huge integer property', () => rawPost(good().replace('"a":1', `"a":${'9'.repeat(5000)}`)), null],
      ['nesting 10,000 deep (arrays)', () => rawPost(deep(10_000, '[', ']')), 400],
      ['nesting 10,000 deep (objects)', () => rawPost(deep(5_000, '{"a":', '}')), 400],
      [
        'nesting 100 deep inside properties',
        () => rawPost(good().replace('"a":1', `"a":${deep(100, '{"a":', '}')}`)),
        400,
      ],
      [
        '10,000 properties',
        () =>
          rawPost(
            JSON.stringify(envelope([])).replace(
              '"items":[]',
              `"items":[${JSON.stringify(item({})).replace('{"a":1}', manyProps(10_000))}]`,
            ),
          ),
        400,
      ],
      ['10,000 top-level keys', () => rawPost(manyProps(10_000)), 400],
      ['__proto__ key', () => rawPost('{"__proto__":{"polluted":true},"batch_id":"x","items":[]}'), 400],
      [
        'constructor.prototype key',
        () => rawPost('{"constructor":{"prototype":{"polluted":true}},"batch_id":"x"}'),
        400,
      ],
      ['__proto__ inside properties', () => rawPost(good().replace('"a":1', '"__proto__":{"polluted":true}')), 202],
      ['oversize body', () => rawPost(JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT * 2) })), 413],
      [
        'Content-Length far larger than the body limit',
        () =>
          rawRequest(port, {
            head: head('/api/v1/batch', {
              authorization: `Bearer ${key}`,
              'content-type': 'application/json',
              'content-length': 10 ** 12,
            }),
          }),
        413,
      ],
      ['wrong content type', () => rawPost(good(), 'text/plain'), 415],
      ['form content type', () => rawPost('a=1&b=2', 'application/x-www-form-urlencoded'), 415],
      ['no content type', () => rawPost(good(), null), 415],
      ['empty body', () => rawPost(''), 400],
      ['JSON null', () => rawPost('null'), 400],
      ['JSON array', () => rawPost('[]'), 400],
      ['JSON string', () => rawPost('"hello"'), 400],
      ['single-item route with an array', () => rawPost('[1,2,3]', 'application/json', '/api/v1/events'), 400],
      [
        'non-numeric Content-Length',
        () =>
          rawRequest(port, {
            head: `${head('/api/v1/batch', { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': 'abc' })}{}`,
          }),
        400,
      ],
      [
        'broken chunked framing',
        () =>
          rawRequest(port, {
            head: `${head('/api/v1/batch', { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' })}zz\r\n{}\r\n0\r\n\r\n`,
          }),
        400,
      ],
      [
        'not HTTP at all',
        () => rawRequest(port, { head: Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00]) }),
        400,
      ],
      [
        'a 100 KB header',
        () => rawRequest(port, { head: head('/api/v1/batch', { 'x-junk': 'j'.repeat(100_000) }) }),
        431,
      ],
    ];
    for (const [what, send, expected] of corpus) {
      const res = await send();
      expectClearAnswer(res, what);
      if (expected !== null) expect(res?.status, `${what}: ${res?.body.slice(0, 200)}`).toBe(expected);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await expectAlive();
  });

  it('cuts off a slowloris body and slow headers with a JSON 408 after the request timeout', async () => {
    const slowBody = await rawRequest(port, {
      head: head('/api/v1/batch', {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'content-length': 1000,
      }),
      chunks: Array.from({ length: 100 }, () => ' '),
      chunkDelayMs: 100, // 10 s to send; the limit is 1 s
    });
    expectClearAnswer(slowBody, 'slow body');
    expect([slowBody?.status, JSON.parse(slowBody?.body ?? '{}').error?.code]).toEqual([408, 'request_timeout']);
    const slowHeaders = await rawRequest(port, {
      head: 'POST /api/v1/batch HTTP/1.1\r\n',
      chunks: Array.from({ length: 100 }, (_, i) => `x-slow-${i}: 1\r\n`),
      chunkDelayMs: 100,
    });
    expect(slowHeaders?.status).toBe(408);
    // A connection that never sends a byte is closed too, rather than held open forever.
    const silent = await rawRequest(port, { head: '', chunks: [' '], chunkDelayMs: 10_000 });
    expect(silent?.status).toBe(408);
    expect(await (await fetch(`${fx.url}/metrics`)).text()).toMatch(
      /touchline_rejected_total\{reason="request_timeout"\} 3/,
    );
    await expectAlive();
  });

  it('fast-check: arbitrary bodies, envelopes and items always get a 2xx or a clear JSON 4xx', {
    timeout: 120_000,
  }, async () => {
    const bodies = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
      fc.anything({ maxDepth: 4, withObjectString: true, withNullPrototype: true }).map((v) => {
        try {
          return JSON.stringify(v) ?? 'undefined';
        } catch {
          return '{}';
        }
      }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(
        bodies,
        fc.constantFrom('/api/v1/batch', '/api/v1/events', '/api/v1/conversions', '/api/v1/identify'),
        async (body, path) => {
          expectClearAnswer(await rawPost(body, 'application/json', path), `body ${String(body).slice(0, 80)}`);
        },
      ),
      { numRuns: 150 },
    );
    const junkItem = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({
        type: fc.constantFrom('event', 'conversion', 'identify', 'pageview'),
        id: fc.string(),
        properties: fc.jsonValue(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(junkItem, { maxLength: 20 }), async (items) => {
        expectClearAnswer(await rawPost(JSON.stringify(envelope(items))), 'junk items');
      }),
      { numRuns: 100 },
    );
    await expectAlive();
  });

  it('stores the valid items sent alongside fuzzed bad ones in the same batch, each exactly once', {
    timeout: 120_000,
  }, async () => {
    const visitor = randomUUID();
    let sentValid = 0;
    const junkItem = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({
        type: fc.constant('event'),
        id: fc.uuid({ version: 7 }),
        name: fc.string({ maxLength: 300 }),
        properties: fc.jsonValue({ maxDepth: 8 }),
        timestamp: fc.string(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(junkItem, { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 10 }),
        async (junk, validCount, at) => {
          const valid = Array.from({ length: validCount }, () => eventItem(visitor, null, Date.now(), 'fuzz-good'));
          const items = [...junk];
          items.splice(Math.min(at, items.length), 0, ...valid);
          const res = await rawPost(JSON.stringify(envelope(items)));
          expectClearAnswer(res, 'mixed batch');
          const body = JSON.parse(res!.body) as { accepted: number; errors: Array<{ index: number; message: string }> };
          expect(res!.status).toBe(202);
          expect(body.accepted).toBeGreaterThanOrEqual(validCount); // a junk item may happen to be valid
          expect(body.accepted + body.errors.length).toBe(items.length);
          for (const e of body.errors) expect(e.message).toMatch(new RegExp(`items\\[${e.index}\\]`));
          sentValid += validCount;
        },
      ),
      { numRuns: 60 },
    );
    await fx.collector.worker.drain();
    const visitorView = await getJson(fx.url, key, `/api/v1/visitors/${visitor}`);
    const events = (visitorView.body as { events: Array<{ name: string }> }).events.filter(
      (e) => e.name === 'fuzz-good',
    );
    expect(events).toHaveLength(sentValid);
    expect((await getJson(fx.url, key, '/api/v1/stats?from=0')).status).toBe(200);
  });
});
