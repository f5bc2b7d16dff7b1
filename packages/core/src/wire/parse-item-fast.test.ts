// Differential tests: parseItemFast accepts only what itemSchema accepts, and returns the same value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseItemFast } from './parse-item-fast.js';
import { itemSchema } from './wire-schemas.js';

const ID = '0190f7c2-0000-7000-8000-000000000001';
const CONTEXT = {
  url: 'https://shop.example/p?utm_source=news', referrer: 'https://www.google.com/', user_agent: 'Mozilla/5.0', ip: '203.0.113.9',
  utm: { utm_source: 'news', utm_medium: 'email' }, click_ids: { gclid: 'abc' }, session_start: 'campaign',
};
const BASE = { id: ID, timestamp: '2026-11-23T13:00:00.000Z', visitor_id: ID, session_id: ID, context: CONTEXT };
const VALID: Record<string, unknown>[] = [
  { type: 'pageview', ...BASE },
  { type: 'pageview', ...BASE, session_id: null, context: null },
  { type: 'event', ...BASE, name: 'viewed', properties: { sku: 'SKU-1', price: 19.9, tags: ['a', { b: [1, null] }] } },
  { type: 'conversion', ...BASE, name: 'purchase', revenue: 42.5, currency: 'EUR', properties: {} },
  { type: 'conversion', ...BASE, name: 'lead', revenue: null, currency: null, properties: { 2: 'x', a: true } },
  { type: 'identify', ...BASE, user_id: 'u-1', traits: { plan: 'pro' } },
  { type: 'session_end', ...BASE, next_session_id: ID },
];

/** Values that probe every check: wrong types, boundaries, near-valid strings, prototype keys. */
const ODD_VALUES: unknown[] = [
  null, undefined, 0, -1, 1e13, -1e12, 1e12, 1.5, true, '', 'x', 'EUR', 'eur', 'EURO', [], [1], {}, { a: 1 },
  ID, ID.toUpperCase(), `${ID}x`, ID.replace('-', '_'), 'new_visitor', 'logout', 'nope',
  '2026-11-23T13:00:00Z', '2026-11-23T13:00:00.123456+02:00', '2026-02-29T00:00:00Z', '2024-02-29T00:00:00Z',
  '2026-11-23T24:00:00Z', '2026-11-23 13:00:00Z', '2026-11-23T13:00:00', '2026-13-01T00:00:00Z', '2026-04-31T00:00:00Z',
  'a'.repeat(32), 'a'.repeat(33), 'a'.repeat(64), 'a'.repeat(65), 'a'.repeat(128), 'a'.repeat(129), 'a'.repeat(200), 'a'.repeat(201),
  'a'.repeat(256), 'a'.repeat(257), 'a'.repeat(500), 'a'.repeat(501), 'a'.repeat(1024), 'a'.repeat(1025), 'a'.repeat(4096), 'a'.repeat(4097),
  'a'.repeat(8192), 'a'.repeat(8193),
  JSON.parse('{"__proto__": {"x": 1}, "a": 1}'), JSON.parse('{"constructor": {"prototype": 1}}'),
  { utm_source: 's', junk: 1 }, { utm_id: 5 }, { ['k'.repeat(129)]: 1 }, { a: { b: { c: { d: { e: 1 } } } } },
  { a: { b: { c: { d: { e: { f: 1 } } } } } }, Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i])),
  Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, i])), { a: 'a'.repeat(8193) }, { a: [['a'.repeat(8193)]] },
  { gclid: 'a'.repeat(501) }, { ['g'.repeat(33)]: 'x' }, { gclid: 1 }, new Date(0), Object.create(null),
];

const FIELDS = ['type', 'id', 'timestamp', 'visitor_id', 'session_id', 'context', 'name', 'properties', 'revenue', 'currency',
  'user_id', 'traits', 'next_session_id', 'extra', 'context.url', 'context.referrer', 'context.user_agent', 'context.ip',
  'context.utm', 'context.click_ids', 'context.session_start', 'context.extra'];

function withField(item: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(item);
  const [head, tail] = field.split('.') as [string, string | undefined];
  if (tail === undefined) {
    if (value === undefined) delete copy[head]; else copy[head] = value;
    return copy;
  }
  if (copy[head] === null || typeof copy[head] !== 'object') return copy;
  const inner = copy[head] as Record<string, unknown>;
  if (value === undefined) delete inner[tail]; else inner[tail] = value;
  return copy;
}

/** The property under test: fast says "valid" only when zod does, and then with the same value. */
function agrees(raw: unknown): void {
  const fast = parseItemFast(raw);
  if (fast === undefined) return;
  const slow = itemSchema.safeParse(raw);
  expect(slow.success).toBe(true);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.data));
}

describe('parseItemFast', () => {
  it('recognizes every well-formed item type with exactly zod\'s output', () => {
    for (const item of VALID) {
      const fast = parseItemFast(JSON.parse(JSON.stringify({ ...item, unknown_key: 1 })));
      expect(fast).toBeDefined();
      agrees(item);
    }
  });

  it('never accepts what zod rejects, field by field', () => {
    for (const item of VALID) {
      for (const field of FIELDS) {
        for (const value of ODD_VALUES) agrees(withField(item, field, value));
      }
    }
  });

  it('agrees with zod on arbitrary JSON in any field', () => {
    const field = fc.constantFrom(...FIELDS);
    const base = fc.constantFrom(...VALID);
    fc.assert(fc.property(base, field, fc.jsonValue(), (item, f, value) => {
      agrees(JSON.parse(JSON.stringify(withField(item, f, value))));
    }), { numRuns: 3000 });
  });
});
