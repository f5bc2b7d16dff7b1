// Unit tests of batch body parsing: a verdict for every kind of body, items validated and encoded, prototype keys dropped.
import { err, ok } from '@touchline/core';
import { describe, expect, it } from 'vitest';
import { decodeStoredItem } from '../pipeline/stored-item-codec.js';
import { SAMPLE_ITEMS } from '../../../core/src/test-support/sample-items.js';
import { parseBatchBody } from './parse-batch-body.js';

const NOW = Date.parse('2026-11-23T13:05:00.000Z');
const RULES = {
  now: NOW,
  maxFutureSkewMs: 300_000,
  maxPastAgeMs: 30 * 86_400_000,
  storeFullIp: false,
  clockToleranceMs: 60_000,
  maxClockCorrectionMs: 86_400_000,
};
const BATCH_ID = '0190f7c2-0000-7000-8000-0000000000bb';
const envelope = (items: unknown[]) => ({
  batch_id: BATCH_ID,
  sent_at: '2026-11-23T13:05:00Z',
  sdk: { name: 't', version: '1' },
  items,
});

describe('parseBatchBody', () => {
  it('accepts good items, reports bad ones by index, and stores each good one in the inbox layout', () => {
    const good = SAMPLE_ITEMS[2]!;
    const result = parseBatchBody(JSON.stringify(envelope([good, { type: 'event' }])), RULES);
    expect(result).toMatchObject(
      ok({ batchId: BATCH_ID, sdk: { name: 't', version: '1' }, errors: [{ index: 1, code: 'invalid_item' }] }),
    );
    if (result.kind !== 'ok') return;
    expect(result.value.accepted).toHaveLength(1);
    const stored = decodeStoredItem(result.value.accepted[0]!);
    // The address is truncated before it is stored.
    expect(stored).toEqual(
      ok({
        item: { ...good, context: { ...good.context, ip: '203.0.113.0' } },
        ts: Date.parse(good.timestamp),
      }),
    );
  });

  it('names malformed JSON and a malformed envelope, keeping the batch id when there is one', () => {
    expect(parseBatchBody('{"batch_id": ', RULES)).toEqual(
      err({ code: 'invalid_json', message: expect.stringMatching(/JSON/) }),
    );
    expect(parseBatchBody(JSON.stringify({ ...envelope([]), batch_id: 'x'.repeat(80) }), RULES)).toEqual(
      err({ code: 'invalid_batch', message: expect.stringMatching(/items/), batchId: 'x'.repeat(64) }),
    );
    expect(parseBatchBody('null', RULES)).toEqual(
      err({ code: 'invalid_batch', message: expect.stringMatching(/body/), batchId: null }),
    );
  });

  it('drops __proto__ and constructor.prototype keys while parsing, as the other routes do', () => {
    const text = JSON.stringify(envelope([{ ...SAMPLE_ITEMS[2], properties: { a: 1 } }])).replace(
      '"properties":{',
      '"properties":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
    );
    const result = parseBatchBody(text, RULES);
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.value.accepted[0]!.payload).not.toContain('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
