// Well-formed wire items of every type, for tests that need one of each (parser, codec, pipeline).
import type { Item } from '../wire/wire-schemas.js';

export const SAMPLE_ID = '0190f7c2-0000-7000-8000-000000000001';
const CONTEXT = {
  url: 'https://shop.example/p?utm_source=news',
  referrer: 'https://www.google.com/',
  user_agent: 'Mozilla/5.0',
  ip: '203.0.113.9',
  utm: { utm_source: 'news', utm_medium: 'email' },
  click_ids: { gclid: 'abc' },
  session_start: 'campaign',
} as const;
const BASE = {
  id: SAMPLE_ID,
  timestamp: '2026-11-23T13:00:00.000Z',
  visitor_id: SAMPLE_ID,
  session_id: SAMPLE_ID,
  context: CONTEXT,
};

/** One or two of each item type, with nested properties, null fields and both conversion shapes. */
export const SAMPLE_ITEMS: readonly Item[] = [
  { type: 'pageview', ...BASE },
  { type: 'pageview', ...BASE, session_id: null, context: null },
  { type: 'event', ...BASE, name: 'viewed', properties: { sku: 'SKU-1', price: 19.9, tags: ['a', { b: [1, null] }] } },
  { type: 'conversion', ...BASE, name: 'purchase', revenue: 42.5, currency: 'EUR', properties: {} },
  { type: 'conversion', ...BASE, name: 'lead', revenue: null, currency: null, properties: { 2: 'x', a: true } },
  { type: 'identify', ...BASE, user_id: 'u-1', traits: { plan: 'pro' } },
  { type: 'session_end', ...BASE, next_session_id: SAMPLE_ID },
  {
    type: 'alias',
    ...BASE,
    context: null,
    previous_id: '0190f7c2-0000-7000-8000-000000000002',
    previous_session_id: '0190f7c2-0000-7000-8000-000000000003',
  },
] as Item[];
