// The request body: valid per the wire schema, and exactly as many bytes as the cutter counted.
import { batchRequestSchema, newId } from '@touchline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../test-support/make-items.js';
import { batchBytes, envelopeBytes, serializeBatch, serializeItem } from './batch-envelope.js';

const sdk = { name: '@touchline/node', version: '1.2.3' };

describe('serializeBatch', () => {
  it('produces a body the collector schema accepts, items intact', () => {
    const items = [makeEvent('a'), makeEvent('b')];
    const body = serializeBatch(newId(), new Date().toISOString(), sdk, items.map((i) => JSON.stringify(i)));
    const parsed = batchRequestSchema.parse(JSON.parse(body));
    expect(parsed.items).toEqual(items);
    expect(parsed.sdk).toEqual(sdk);
  });

  it('weighs exactly envelope + items + commas, for any item text', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 100 }), { minLength: 0, maxLength: 12 }), (names) => {
      const serialized = names.map((name) => serializeItem(makeEvent('e', { properties: { name } })));
      const jsons = serialized.map((s) => (s.ok ? s.json : ''));
      const itemBytes = serialized.reduce((sum, s) => sum + (s.ok ? s.bytes : 0), 0);
      const body = serializeBatch(newId(), new Date().toISOString(), sdk, jsons);
      expect(Buffer.byteLength(body)).toBe(batchBytes(envelopeBytes(sdk), jsons.length, itemBytes));
    }), { numRuns: 60 });
  });
});

describe('serializeItem', () => {
  it('reports an unserializable item as a value instead of throwing', () => {
    const item = makeEvent('big', { properties: { n: 10n } });
    expect(serializeItem(item)).toMatchObject({ ok: false });
  });
});
