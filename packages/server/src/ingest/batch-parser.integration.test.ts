// The batch parse thread for real: concurrent bodies each get their own verdict, and a thread that dies loses nothing.
import { err, newId, ok } from '@touchline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_ITEMS } from '../../../core/src/test-support/sample-items.js';
import { createBatchParser, resolveBatchParseThreadEntry, THREAD_MIN_BYTES, type BatchParser } from './batch-parser.js';

const RULES = {
  now: Date.parse('2026-11-23T13:05:00.000Z'),
  maxFutureSkewMs: 300_000,
  maxPastAgeMs: 30 * 86_400_000,
  storeFullIp: false,
  clockToleranceMs: 60_000,
  maxClockCorrectionMs: 86_400_000,
};
const EVENT = SAMPLE_ITEMS[2]!;

/** A body above the thread threshold whose batch id and item count identify it. */
function body(items: number): { batchId: string; bytes: Buffer } {
  const batchId = newId();
  const text = JSON.stringify({
    batch_id: batchId,
    sent_at: '2026-11-23T13:05:00Z',
    sdk: { name: 't', version: '1' },
    items: Array.from({ length: items }, () => ({ ...EVENT, id: newId() })),
  });
  return { batchId, bytes: Buffer.from(text) };
}

let parser: BatchParser | null = null;
afterEach(async () => {
  await parser?.close();
  parser = null;
});

describe('createBatchParser with its thread', () => {
  it('gives each of 200 concurrent bodies its own verdict (replies are matched by id, DESIGN L3)', async () => {
    const errors: Error[] = [];
    parser = createBatchParser({ entry: resolveBatchParseThreadEntry(), onError: (e) => errors.push(e) });
    expect(parser.mode()).toBe('thread');
    const bodies = Array.from({ length: 200 }, (_, i) => body(60 + (i % 7)));
    expect(Math.min(...bodies.map((b) => b.bytes.length))).toBeGreaterThan(THREAD_MIN_BYTES);
    const results = await Promise.all(bodies.map((b) => parser!.parse(b.bytes, RULES)));
    results.forEach((result, i) => {
      expect(result).toMatchObject(ok({ batchId: bodies[i]!.batchId, errors: [] }));
      expect(result.kind === 'ok' && result.value.accepted.length).toBe(60 + (i % 7));
    });
    expect(errors).toEqual([]);
  });

  it('answers every request once when the thread dies mid-flight, then parses on the main thread', async () => {
    const errors: Error[] = [];
    parser = createBatchParser({ entry: resolveBatchParseThreadEntry(), onError: (e) => errors.push(e) });
    const bodies = Array.from({ length: 50 }, () => body(80));
    const results = bodies.map((b) => parser!.parse(b.bytes, RULES));
    await parser.thread()!.terminate();
    const settled = await Promise.all(results);
    settled.forEach((result, i) => expect(result).toMatchObject(ok({ batchId: bodies[i]!.batchId })));
    expect(parser.mode()).toBe('inline');
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/batch parse thread failed.*main thread/)]);
    const after = body(80);
    expect(await parser.parse(after.bytes, RULES)).toMatchObject(ok({ batchId: after.batchId }));
  });

  it('parses on the main thread when it has no thread, with the same verdicts', async () => {
    parser = createBatchParser({ entry: null, onError: () => {} });
    expect(parser.mode()).toBe('inline');
    const b = body(80);
    expect(await parser.parse(b.bytes, RULES)).toMatchObject(ok({ batchId: b.batchId }));
    expect(await parser.parse(Buffer.from('{"batch_id": 1'), RULES)).toMatchObject(err({ code: 'invalid_json' }));
  });
});
