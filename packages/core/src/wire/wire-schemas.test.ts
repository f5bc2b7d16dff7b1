// The zod wire schemas on their own: what they refuse and say, not only what parseItemFast also accepts.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { zodProblems } from '../errors/zod-problems.js';
import { SAMPLE_ID, SAMPLE_ITEMS } from '../test-support/sample-items.js';
import {
  batchRequestSchema,
  batchResponseSchema,
  errorResponseSchema,
  itemSchema,
  propertiesSchema,
  requestContextSchema,
  sdkHealthSchema,
} from './wire-schemas.js';

const problemsOf = (schema: z.ZodType, value: unknown): string[] => {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : zodProblems(parsed.error).map((p) => `${p.path}: ${p.message}`);
};
const item = (type: string) => SAMPLE_ITEMS.find((i) => i.type === type) as unknown as Record<string, unknown>;
const pageview = item('pageview');
const conversion = item('conversion');
const nested = (depth: number): unknown => (depth === 0 ? 1 : { n: nested(depth - 1) });

describe('propertiesSchema', () => {
  it('accepts values at every limit', () => {
    const atLimits = {
      s: 'a'.repeat(8192),
      k: { ['k'.repeat(128)]: 1 },
      deep: nested(4), // properties > deep > n > n > n: depth 5
      many: Object.fromEntries(Array.from({ length: 191 }, (_, i) => [`k${i}`, i])), // 4 + 1 + 4 + 191 = 200 keys in all
    };
    expect(problemsOf(propertiesSchema, atLimits)).toEqual([]);
    expect(propertiesSchema.parse(atLimits)).toEqual(atLimits);
  });

  it('names each problem and where it is, at any depth', () => {
    expect(
      problemsOf(propertiesSchema, {
        s: 'a'.repeat(8193),
        list: [1, ['b'.repeat(8193)]],
        n: Number.POSITIVE_INFINITY,
        o: { nan: Number.NaN, ['k'.repeat(129)]: 1 },
        deep: nested(5),
      }),
    ).toEqual([
      ': string longer than 8192 characters at properties.s',
      ': string longer than 8192 characters at properties.list.1.0',
      ': non-finite number at properties.n',
      ': non-finite number at properties.o.nan',
      ': key longer than 128 characters at properties.o',
      ': nesting deeper than 5 at properties.deep.n.n.n.n',
    ]);
  });

  it('counts keys at every level against the limit of 200', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(problemsOf(propertiesSchema, { a: keys(199) })).toEqual([]);
    expect(problemsOf(propertiesSchema, { a: keys(200) })).toEqual([': more than 200 keys']);
    expect(problemsOf(propertiesSchema, keys(201))).toEqual([': more than 200 keys']);
  });
});

describe('itemSchema', () => {
  it('accepts every sample item and returns it unchanged', () => {
    for (const sample of SAMPLE_ITEMS) expect(itemSchema.parse(sample)).toEqual(sample);
  });

  it('wants the whole id to be a UUID', () => {
    for (const id of [`x${SAMPLE_ID}`, `${SAMPLE_ID}x`]) {
      expect(problemsOf(itemSchema, { ...pageview, id })).toEqual(['id: must be a UUID']);
    }
  });

  it('accepts timestamps with a UTC offset', () => {
    expect(problemsOf(itemSchema, { ...pageview, timestamp: '2026-11-23T15:00:00.000+02:00' })).toEqual([]);
  });

  it('explains session_start in the OpenAPI document, from the reason to the tie-breaks', () => {
    const text = requestContextSchema.shape.session_start.description ?? '';
    expect(text).toMatch(
      /^Why this request began its session, if it did\. The item carrying it is its session's landing \(/,
    );
    expect(text).toMatch(
      /decide the channel\); without one, a pageview before other items, then the earliest timestamp/,
    );
    expect(text).toMatch(/then the smallest item id\. Arrival order never matters\.$/);
  });

  it('accepts every documented session_start reason', () => {
    for (const reason of ['new_visitor', 'expired', 'logout', 'campaign', 'referrer']) {
      const context = { ...(pageview.context as object), session_start: reason };
      expect(problemsOf(itemSchema, { ...pageview, context })).toEqual([]);
    }
  });

  it('bounds revenue and wants a whole three-letter currency code, saying why', () => {
    expect(problemsOf(itemSchema, { ...conversion, revenue: 1e9 + 1 })).toEqual([
      'revenue: must be at most 1000000000',
    ]);
    expect(problemsOf(itemSchema, { ...conversion, revenue: -1e9 - 1 })).toEqual([
      'revenue: must be at least -1000000000',
    ]);
    for (const currency of ['EURO', 'XEUR']) {
      expect(problemsOf(itemSchema, { ...conversion, currency })).toEqual([
        'currency: must be an ISO 4217 code like "EUR"',
      ]);
    }
  });
});

describe('batchRequestSchema', () => {
  const health = {
    instance_id: SAMPLE_ID,
    delivered: 5,
    retries: 0,
    auth_failures: 0,
    dropped: 1,
    navigations: 3,
    bot_navigations: 0,
  };
  const batch = {
    batch_id: SAMPLE_ID,
    sent_at: '2026-11-23T15:00:00.000+02:00',
    sdk: { name: 'touchline-node', version: '0.1.0', health },
    items: [pageview, conversion],
  };

  it('accepts a batch with offset time, health counters and several items, unchanged', () => {
    expect(batchRequestSchema.parse(batch)).toEqual(batch);
    expect(sdkHealthSchema.parse(health)).toEqual(health);
  });

  it('refuses missing health counters, long sdk names and versions, and empty or oversized batches', () => {
    const noDropped: Record<string, unknown> = { ...health };
    delete noDropped.dropped;
    expect(problemsOf(sdkHealthSchema, noDropped)).toEqual([expect.stringMatching(/^dropped: /)]);
    expect(
      problemsOf(batchRequestSchema, { ...batch, sdk: { name: 'n'.repeat(65), version: 'v'.repeat(33) } }),
    ).toEqual([expect.stringMatching(/^sdk\.name: /), expect.stringMatching(/^sdk\.version: /)]);
    expect(problemsOf(batchRequestSchema, { ...batch, sdk: undefined })).toEqual([expect.stringMatching(/^sdk: /)]);
    expect(problemsOf(batchRequestSchema, { ...batch, items: [] })).toEqual([expect.stringMatching(/^items: /)]);
    const tooMany = Array.from({ length: 501 }, () => pageview);
    expect(problemsOf(batchRequestSchema, { ...batch, items: tooMany })).toEqual([expect.stringMatching(/^items: /)]);
    expect(problemsOf(batchRequestSchema, { ...batch, items: tooMany.slice(1) })).toEqual([]);
  });
});

describe('reply schemas (the SDK reads replies with them)', () => {
  const reply = {
    batch_id: SAMPLE_ID,
    accepted: 1,
    duplicates: 0,
    errors: [{ index: 1, id: null, code: 'invalid_item', message: 'type: Invalid input' }],
  };

  it('keep every field of a batch reply and an error reply', () => {
    expect(batchResponseSchema.parse(reply)).toEqual(reply);
    const error = { error: { code: 'unauthorized', message: 'bad key' }, batch_id: SAMPLE_ID };
    expect(errorResponseSchema.parse(error)).toEqual(error);
  });

  it('refuse replies missing a field', () => {
    const noIndex: Record<string, unknown> = { ...reply.errors[0] };
    delete noIndex.index;
    expect(problemsOf(batchResponseSchema, { ...reply, errors: [noIndex] })).toEqual([
      expect.stringMatching(/^errors\.0\.index: /),
    ]);
    expect(problemsOf(errorResponseSchema, { error: { code: 'x' } })).toEqual([
      expect.stringMatching(/^error\.message: /),
    ]);
  });

  it('describe their fields in the OpenAPI document', () => {
    const doc = z.toJSONSchema(batchResponseSchema, { io: 'input' }) as {
      properties: Record<
        string,
        { description?: string; items?: { properties: Record<string, { description?: string }> } }
      >;
    };
    expect(doc.properties.accepted?.description).toBe('items stored now');
    expect(doc.properties.duplicates?.description).toMatch(/^items already stored \(a retry\)/);
    expect(doc.properties.errors?.description).toMatch(/^items not stored, one entry each/);
    expect(doc.properties.errors?.items?.properties.code?.description).toMatch(/^invalid_item, invalid_timestamp/);
  });
});
