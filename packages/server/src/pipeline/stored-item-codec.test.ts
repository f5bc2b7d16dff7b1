// The inbox payload codec: every valid item comes back as it was, old object payloads still read, corrupt rows are named.
import { err, itemSchema, ok, type Item } from '@touchline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStoredItem, encodeStoredItem } from './stored-item-codec.js';
import { SAMPLE_ID, SAMPLE_ITEMS } from '../../../core/src/test-support/sample-items.js';

const ID = SAMPLE_ID;
const VALID: readonly Item[] = SAMPLE_ITEMS;

const row = (item: Item, payload: string = encodeStoredItem(item)) => ({ itemId: item.id, type: item.type, payload });
const EVENT = VALID[2] as Item;

describe('encodeStoredItem / decodeStoredItem', () => {
  it('gives every item type back exactly, with its time, from a payload without its id and type', () => {
    for (const item of VALID) {
      const payload = encodeStoredItem(item);
      expect(JSON.parse(payload)).toEqual(expect.arrayContaining([1]));
      expect(payload).not.toContain(`"${item.type}"`);
      expect(decodeStoredItem(row(item, payload))).toEqual(ok({ item, ts: Date.parse(item.timestamp) }));
    }
  });

  it('round-trips arbitrary valid items, whatever their field values', () => {
    const fields = [
      'timestamp',
      'visitor_id',
      'session_id',
      'context',
      'name',
      'properties',
      'revenue',
      'currency',
      'user_id',
      'traits',
      'next_session_id',
      'context.url',
      'context.referrer',
      'context.user_agent',
      'context.ip',
      'context.utm',
      'context.click_ids',
    ];
    const mutated = fc
      .tuple(fc.constantFrom(...VALID), fc.constantFrom(...fields), fc.jsonValue())
      .map(([item, field, value]) => {
        const copy = JSON.parse(JSON.stringify(item)) as Record<string, Record<string, unknown>>;
        const [outer, inner] = field.split('.') as [string, string | undefined];
        if (inner === undefined) copy[outer] = value as Record<string, unknown>;
        else if (copy[outer] !== null && typeof copy[outer] === 'object')
          (copy[outer] as Record<string, unknown>)[inner] = value;
        return itemSchema.safeParse(copy);
      })
      .filter((r) => r.success)
      .map((r) => r.data as Item);
    fc.assert(
      fc.property(mutated, (item) => {
        // As through any JSON text (the object layout too): -0 comes back as 0.
        const expected = JSON.parse(JSON.stringify(item)) as Item;
        expect(decodeStoredItem(row(item))).toEqual(ok({ item: expected, ts: Date.parse(item.timestamp) }));
      }),
      { numRuns: 2000 },
    );
  });

  it('stores a typical event in well under the bytes of its JSON object', () => {
    expect(encodeStoredItem(EVENT).length).toBeLessThan(JSON.stringify(EVENT).length * 0.75);
  });

  it('still reads payloads written as JSON objects, and checks their id against the row', () => {
    for (const item of VALID) {
      expect(decodeStoredItem(row(item, JSON.stringify(item)))).toEqual(ok({ item, ts: Date.parse(item.timestamp) }));
    }
    expect(decodeStoredItem({ ...row(EVENT, JSON.stringify(EVENT)), itemId: 'other' })).toEqual(
      err('payload id differs from the inbox item id'),
    );
  });

  it('names what is wrong with a corrupt payload', () => {
    const [, ...values] = JSON.parse(encodeStoredItem(EVENT)) as unknown[];
    const corrupt = (payload: string, type: string = 'event') => decodeStoredItem({ itemId: ID, type, payload });
    expect(corrupt('[1, "2026')).toEqual(err('payload is not valid JSON'));
    expect(corrupt(JSON.stringify([2, ...values]))).toEqual(err('payload layout 2 is unknown'));
    expect(corrupt(JSON.stringify([1, ...values]), 'toString')).toEqual(
      err('payload has no known item type ("toString")'),
    );
    expect(corrupt(JSON.stringify([1, ...values]), 'session_end')).toEqual(
      err('payload has 7 values, a session_end has 6'),
    );
    expect(corrupt(JSON.stringify([1, 'soon', ...values.slice(1)]))).toEqual(err(expect.stringMatching(/timestamp/)));
    expect(corrupt(JSON.stringify([1, ...values.slice(0, 3), ['x'], ...values.slice(4)]))).toEqual(
      err(expect.stringMatching(/context/)),
    );
    expect(corrupt(JSON.stringify([1, ...values.slice(0, 5), 'not properties']))).toEqual(
      err(expect.stringMatching(/properties/)),
    );
  });
});
