// The request body: valid per the wire schema, and exactly as many bytes as the cutter counted.
import { batchRequestSchema, err, newId } from '@touchline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../test-support/make-items.js';
import { batchBytes, envelopeBytes, serializeBatch, serializeItem } from './batch-envelope.js';

const sdk = { name: '@touchline/node', version: '1.2.3' };

describe('serializeBatch', () => {
  it('produces a body the collector schema accepts, items intact', () => {
    const items = [makeEvent('a'), makeEvent('b')];
    const body = serializeBatch(
      newId(),
      new Date().toISOString(),
      sdk,
      items.map((i) => JSON.stringify(i)),
    );
    const parsed = batchRequestSchema.parse(JSON.parse(body));
    expect(parsed.items).toEqual(items);
    expect(parsed.sdk).toEqual(sdk);
  });

  it('weighs exactly envelope + items + commas, for any item text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 100 }), { minLength: 0, maxLength: 12 }), (names) => {
        const serialized = names.map((name) => serializeItem(makeEvent('e', { properties: { name } })));
        const jsons = serialized.map((s) => (s.kind === 'ok' ? s.value.json : ''));
        const itemBytes = serialized.reduce((sum, s) => sum + (s.kind === 'ok' ? s.value.bytes : 0), 0);
        const body = serializeBatch(newId(), new Date().toISOString(), sdk, jsons);
        expect(Buffer.byteLength(body)).toBe(batchBytes(envelopeBytes(sdk), jsons.length, itemBytes));
      }),
      { numRuns: 60 },
    );
  });
});

describe('serializeBatch with delivery health', () => {
  const health = (n: number) => ({
    instance_id: newId(),
    delivered: n,
    retries: n,
    auth_failures: n,
    dropped: n,
    navigations: n,
    bot_navigations: n,
  });

  it('carries sdk.health, which the collector schema accepts, and never weighs more than the envelope counted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 3 }), (n, count) => {
        const jsons = Array.from({ length: count }, () => JSON.stringify(makeEvent('e')));
        const body = serializeBatch(newId(), new Date().toISOString(), sdk, jsons, health(n));
        expect(batchRequestSchema.parse(JSON.parse(body)).sdk.health).toMatchObject({
          delivered: n,
          bot_navigations: n,
        });
        const bound = batchBytes(
          envelopeBytes(sdk, true),
          count,
          jsons.reduce((sum, j) => sum + Buffer.byteLength(j), 0),
        );
        expect(Buffer.byteLength(body)).toBeLessThanOrEqual(bound);
        if (n === Number.MAX_SAFE_INTEGER) expect(Buffer.byteLength(body)).toBe(bound);
      }),
      { numRuns: 60 },
    );
  });

  it('an old SDK without health still validates; a malformed health is rejected naming the field', () => {
    expect(
      batchRequestSchema.safeParse(
        JSON.parse(serializeBatch(newId(), new Date().toISOString(), sdk, [JSON.stringify(makeEvent('e'))])),
      ).success,
    ).toBe(true);
    const bad = JSON.parse(
      serializeBatch(newId(), new Date().toISOString(), sdk, [JSON.stringify(makeEvent('e'))], health(1)),
    ) as { sdk: { health: Record<string, unknown> } };
    bad.sdk.health.dropped = -1;
    const parsed = batchRequestSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['sdk', 'health', 'dropped']);
  });
});

describe('serializeItem', () => {
  it('reports an unserializable item as a value instead of throwing', () => {
    const item = makeEvent('big', { properties: { n: 10n } });
    expect(serializeItem(item)).toEqual(err(expect.stringMatching(/BigInt/)));
  });
});
