// One attempt against an injected fetch: the request it makes and how each failure is classified.
import { describe, expect, it } from 'vitest';
import { ackFor, createFakeFetch, hang } from '../test-support/fake-fetch.js';
import { makeEvents } from '../test-support/make-items.js';
import { serializeItem } from './batch-envelope.js';
import type { QueuedItem } from './batch-cutter.js';
import { sendBatch, type SendContext } from './send-batch.js';

const entries: QueuedItem[] = makeEvents(2).map((item, i) => {
  const s = serializeItem(item);
  if (s.kind === 'err') throw new Error(s.error);
  return { seq: i + 1, id: item.id, ...s.value };
});

const context = (fetch: typeof globalThis.fetch, over: Partial<SendContext> = {}): SendContext => ({
  fetch,
  url: 'http://collector.invalid/api/v1/batch',
  apiKey: 'k',
  sdk: { name: 'sdk', version: '1' },
  now: () => Date.UTC(2030, 0, 1),
  timeoutMs: 1000,
  shutdown: new AbortController().signal,
  ...over,
});

describe('sendBatch', () => {
  it('posts the envelope with the bearer key and reports the acknowledgement', async () => {
    const fake = createFakeFetch();
    const outcome = await sendBatch(entries, context(fake.fetch));
    const call = fake.calls[0];
    expect(call?.headers.authorization).toBe('Bearer k');
    expect(call?.body.sent_at).toBe('2030-01-01T00:00:00.000Z');
    expect(call?.body.items).toEqual(entries.map((e) => JSON.parse(e.json)));
    expect(outcome).toMatchObject({ kind: 'acknowledged', batchId: call?.body.batch_id, status: 202 });
  });

  it.each([
    ['timeout', () => hang(), {}, 'timeout'],
    [
      'network',
      () => Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') })),
      {},
      'network',
    ],
    ['aborted at shutdown', () => hang(), { shutdown: AbortSignal.abort() }, 'aborted'],
  ] as const)('classifies %s', async (_name, answer, over, kind) => {
    const fake = createFakeFetch(answer);
    const outcome = await sendBatch(entries, context(fake.fetch, { timeoutMs: 20, ...over }));
    expect(outcome).toMatchObject({ kind: 'failed', status: null, error: kind });
  });

  it('names the cause of a network failure in the message', async () => {
    const fake = createFakeFetch(() =>
      Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') })),
    );
    const outcome = await sendBatch(entries, context(fake.fetch));
    expect(outcome.kind === 'failed' && outcome.message).toContain('ECONNREFUSED');
  });

  it('a fresh batch id per call, same items', async () => {
    const fake = createFakeFetch((call) => ackFor(call));
    await sendBatch(entries, context(fake.fetch));
    await sendBatch(entries, context(fake.fetch));
    expect(fake.calls[0]?.body.batch_id).not.toBe(fake.calls[1]?.body.batch_id);
    expect(fake.calls[0]?.body.items).toEqual(fake.calls[1]?.body.items);
  });
});
