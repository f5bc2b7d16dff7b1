// Splitting a batch body into envelope and items: wherever the split parse gives a value, it is the whole-text parse's value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLE_ITEMS } from '../../../core/src/test-support/sample-items.js';
import { parseBatchBody, parseBatchBytes, parseJsonBody, parseSplitBody } from './parse-batch-body.js';
import { splitBatchBody } from './split-batch-body.js';

const RULES = { now: Date.parse('2026-11-23T13:05:00.000Z'), maxFutureSkewMs: 300_000, maxPastAgeMs: 30 * 86_400_000, storeFullIp: false, clockToleranceMs: 60_000, maxClockCorrectionMs: 86_400_000 };
const envelope = (items: unknown[], extra: Record<string, unknown> = {}) => ({
  batch_id: '0190f7c2-0000-7000-8000-0000000000bb', sent_at: '2026-11-23T13:05:00Z', sdk: { name: 't', version: '1' }, items, ...extra,
});

/** The whole-text parse, or the error it throws. */
function whole(text: string): { value: unknown } | { error: true } {
  try {
    return { value: parseJsonBody(text) };
  } catch {
    return { error: true };
  }
}

/** The split parse agrees with the whole-text parse whenever it answers. Returns whether it answered. */
function expectAgreement(text: string): boolean {
  const split = parseSplitBody(Buffer.from(text));
  if (split === undefined) return false;
  expect(whole(text)).toEqual({ value: split });
  return true;
}

describe('splitBatchBody', () => {
  it('finds the items array and each element, whatever the strings around them contain', () => {
    const tricky = [
      { name: '},{"type":"event"}', properties: { q: 'a\\"],[', 'it"ems': [1, [2, { x: '{' }]] } },
      { name: 'ünïcödé — 👍', properties: { path: 'C:\\dir\\', empty: '' } },
      7, 'items', null, [[], {}],
    ];
    const text = JSON.stringify(envelope(tricky, { note: 'items: [1,2] {', sdk: { name: '"items":[1,2]', version: '1' } }), null, 2);
    const split = splitBatchBody(Buffer.from(text));
    expect(split?.elements).toHaveLength(tricky.length * 2);
    expect(expectAgreement(text)).toBe(true);
  });

  it('declines bodies that are not one object with one top-level items array', () => {
    for (const text of [
      '[{"items":[1]}]', '{"items":{"a":[1]}}', '{"items":[1],"items":[2]}', '{"it\\u0065ms":[1]}', '{"items":[1,2],"it\\u0065ms":[3]}', '{"items":[1],"a":"\\""}', '{"x":[1]}',
      '{"items":[1}', '{"items":[1}]}', '{"items":[1]', '{"items":["1]}', 'x{"items":[1]}', '{"items":[1]}{}', '{"a":{"items":[1]}}',
    ]) {
      expect(splitBatchBody(Buffer.from(text)), text).toBeNull();
    }
  });

  it('leaves malformed elements and envelopes to the whole-text parse, which names the error', () => {
    for (const text of ['{"items":[1,,2]}', '{"items":[1,2,]}', '{"items":[]}', '{"items":[{"a":1 "b":2}]}', '{"batch_id" "x","items":[1]}', '{"items":[1]} x']) {
      expect(parseSplitBody(Buffer.from(text)), text).toBeUndefined();
    }
    expect(parseBatchBytes(Buffer.from('{"items":[{"a":1 "b":2}]}'), RULES, 0)).toEqual(parseBatchBody('{"items":[{"a":1 "b":2}]}', RULES));
  });

  it('drops prototype keys inside items and in the envelope, as the whole-text parse does', () => {
    const text = `\uFEFF{"__proto__":{"polluted":1},"items":[{"__proto__":{"x":1},"constructor":{"prototype":{"y":1}},"a":1}]}`;
    const split = parseSplitBody(Buffer.from(text)) as { items: Array<Record<string, unknown>> };
    expect(split.items[0]).toEqual({ a: 1 });
    expect(Object.getPrototypeOf(split.items[0])).toBe(Object.prototype);
    expect(expectAgreement(text)).toBe(true);
  });

  it('fast-check: for arbitrary envelopes and items in any layout, split and whole-text parses agree', () => {
    fc.assert(fc.property(
      fc.array(fc.jsonValue(), { maxLength: 12 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }), fc.constantFrom(undefined, 0, 1, '\t'),
      (items, extra, indent) => {
        // extra's own "items" key, if any, is overwritten: one items array, wherever it lands.
        const text = JSON.stringify({ ...extra, items }, null, indent);
        // Declined (whole-text parse instead): an empty array, or an escape in a top-level key or string.
        const escapedTop = Object.entries(extra).some(([k, v]) => JSON.stringify(k).includes('\\') || (typeof v === 'string' && JSON.stringify(v).includes('\\')));
        expect(expectAgreement(text) || items.length === 0 || escapedTop).toBe(true);
      },
    ), { numRuns: 300 });
  });

  it('fast-check: a damaged body never yields a value the whole-text parse would not', () => {
    fc.assert(fc.property(
      fc.array(fc.jsonValue(), { minLength: 1, maxLength: 6 }), fc.nat(), fc.constantFrom('', ',', '"', '\\', '{', '}', '[', ']', ':', ' x'), fc.boolean(),
      (items, at, insert, cut) => {
        const text = JSON.stringify(envelope(items));
        const i = at % text.length;
        const damaged = cut ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + insert + text.slice(i);
        expectAgreement(damaged);
      },
    ), { numRuns: 500 });
  });

  it('gives the same verdict as parseBatchBody for a real batch, split or not', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ ...SAMPLE_ITEMS[i % SAMPLE_ITEMS.length], id: `0190f7c2-0000-7000-8000-${String(i).padStart(12, '0')}`, timestamp: '2026-11-23T13:00:00.000Z' }));
    const text = JSON.stringify(envelope([...items, { type: 'event' }]));
    expect(parseSplitBody(Buffer.from(text))).toBeDefined();
    expect(parseBatchBytes(Buffer.from(text), RULES, 0)).toEqual(parseBatchBody(text, RULES));
  });
});
