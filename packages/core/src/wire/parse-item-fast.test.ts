// Differential tests: parseItemFast accepts only what itemSchema accepts, and returns the same value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseItemFast } from './parse-item-fast.js';
import { itemSchema } from './wire-schemas.js';
import { SAMPLE_ID, SAMPLE_ITEMS } from '../test-support/sample-items.js';

const ID = SAMPLE_ID;
const VALID = SAMPLE_ITEMS as unknown as Record<string, unknown>[];

/** Values that probe every check: wrong types, boundaries, near-valid strings, prototype keys. */
const ODD_VALUES: unknown[] = [
  null,
  undefined,
  0,
  -1,
  1e13,
  -1e12,
  1e12,
  1.5,
  true,
  '',
  'x',
  'EUR',
  'eur',
  'EURO',
  [],
  [1],
  {},
  { a: 1 },
  ID,
  ID.toUpperCase(),
  `${ID}x`,
  ID.replace('-', '_'),
  `g${ID.slice(1)}`,
  `${ID.slice(0, 35)}\u0660`,
  'new_visitor',
  'logout',
  'nope',
  '2026-11-23T13:00:00Z',
  '2026-11-23T13:00:00.123456+02:00',
  '2026-02-29T00:00:00Z',
  '2024-02-29T00:00:00Z',
  '2026-11-23T24:00:00Z',
  '2026-11-23 13:00:00Z',
  '2026-11-23T13:00:00',
  '2026-13-01T00:00:00Z',
  '2026-04-31T00:00:00Z',
  'a'.repeat(32),
  'a'.repeat(33),
  'a'.repeat(64),
  'a'.repeat(65),
  'a'.repeat(128),
  'a'.repeat(129),
  'a'.repeat(200),
  'a'.repeat(201),
  'a'.repeat(256),
  'a'.repeat(257),
  'a'.repeat(500),
  'a'.repeat(501),
  'a'.repeat(1024),
  'a'.repeat(1025),
  'a'.repeat(4096),
  'a'.repeat(4097),
  'a'.repeat(8192),
  'a'.repeat(8193),
  JSON.parse('{"__proto__": {"x": 1}, "a": 1}'),
  JSON.parse('{"constructor": {"prototype": 1}}'),
  { utm_source: 's', junk: 1 },
  { utm_id: 5 },
  { ['k'.repeat(129)]: 1 },
  { a: { b: { c: { d: { e: 1 } } } } },
  { a: { b: { c: { d: { e: { f: 1 } } } } } },
  Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i])),
  Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, i])),
  { a: 'a'.repeat(8193) },
  { big: JSON.parse('1e999') }, // JSON itself can carry an infinite number
  { n: Number.NaN },
  { a: [['a'.repeat(8193)]] },
  { gclid: 'a'.repeat(501) },
  { ['g'.repeat(33)]: 'x' },
  { gclid: 1 },
  new Date(0),
  Object.create(null),
];

const FIELDS = [
  'type',
  'id',
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
  'previous_id',
  'previous_session_id',
  'extra',
  'context.url',
  'context.referrer',
  'context.user_agent',
  'context.ip',
  'context.utm',
  'context.click_ids',
  'context.session_start',
  'context.extra',
];

function withField(item: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(item);
  const [head, tail] = field.split('.') as [string, string | undefined];
  if (tail === undefined) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  if (copy[head] === null || typeof copy[head] !== 'object') return copy;
  const inner = copy[head] as Record<string, unknown>;
  if (value === undefined) delete inner[tail];
  else inner[tail] = value;
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
  it("recognizes every well-formed item type with exactly zod's output", () => {
    for (const item of VALID) {
      const fast = parseItemFast(JSON.parse(JSON.stringify({ ...item, unknown_key: 1 })));
      expect(fast).toBeDefined();
      agrees(item);
    }
  });

  it('takes the fast path for items at every limit, not only for typical ones', () => {
    const context = {
      url: `https://shop.example/${'p'.repeat(4096 - 21)}`,
      referrer: null,
      user_agent: 'u'.repeat(1024),
      ip: 'i'.repeat(64),
      click_ids: { ['k'.repeat(32)]: 'v'.repeat(500) },
      session_start: null,
    };
    const properties = {
      s: 's'.repeat(8192),
      n: -1.5,
      ['k'.repeat(128)]: { a: { b: { c: [1, null, true] } } }, // depth 5 at the array's items
      ...Object.fromEntries(Array.from({ length: 191 }, (_, i) => [`k${i}`, i])), // 3 here, a b c, 3 array items, 191: 200 keys
    };
    const base = { id: ID, timestamp: '2026-11-23T13:00:00Z', visitor_id: ID, session_id: null, context };
    const atLimits = [
      { ...base, type: 'event', name: 'n'.repeat(200), properties },
      { ...base, type: 'conversion', name: 'x', revenue: 1e9, currency: null, properties: {} },
      { ...base, type: 'conversion', name: 'x', revenue: -1e9, currency: 'EUR', properties: {} },
      {
        ...base,
        type: 'identify',
        user_id: 'u'.repeat(256),
        traits: {},
        context: { ...context, click_ids: undefined },
      },
      { ...base, type: 'alias', previous_id: ID.replace(/1$/, '2'), previous_session_id: null },
    ];
    for (const item of atLimits) {
      const fast = parseItemFast(JSON.parse(JSON.stringify(item)));
      expect(fast, JSON.stringify(item).slice(0, 80)).toBeDefined();
      agrees(JSON.parse(JSON.stringify(item)));
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
    fc.assert(
      fc.property(base, field, fc.jsonValue(), (item, f, value) => {
        agrees(JSON.parse(JSON.stringify(withField(item, f, value))));
      }),
      { numRuns: 3000 },
    );
  });
});
