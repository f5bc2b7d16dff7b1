// Unit tests of the pure inbox-to-rows transform: sessions, landing data, channels, poison rows.
import { describe, expect, it } from 'vitest';
import type { Item } from '@touchline/core';
import type { InboxRow } from '@touchline/storage';
import { processInboxRows } from './process-inbox-rows.js';
import { encodeStoredItem } from './stored-item-codec.js';

const V = '0190f7c2-0000-7000-8000-000000000001';
const S = '0190f7c2-0000-7000-8000-0000000000aa';
let seq = 0;
function row(item: Record<string, unknown>): InboxRow {
  seq += 1;
  const id = `0190f7c2-0000-7000-8000-${String(seq).padStart(12, '0')}`;
  return {
    seq,
    accountId: 'acct',
    itemId: id,
    type: String(item.type),
    payload: JSON.stringify({ id, visitor_id: V, session_id: S, context: null, ...item }),
    receivedAt: 0,
    attempts: 1,
  };
}
const ctx = (url: string, referrer: string | null, start: string | null) => ({
  url,
  referrer,
  user_agent: 'UA',
  ip: null,
  utm: {},
  click_ids: {},
  session_start: start,
});

/** The same item as the ingest handler stores it now (the compact layout). */
function compactRow(item: Record<string, unknown>): InboxRow {
  const legacy = row(item);
  return { ...legacy, payload: encodeStoredItem(JSON.parse(legacy.payload) as Item) };
}

describe('processInboxRows', () => {
  it('processes a backlog that mixes object payloads (older rows) with compact ones alike', () => {
    const items = [
      {
        type: 'pageview',
        timestamp: '2026-11-01T10:00:00Z',
        context: ctx('https://shop.example/', 'https://duckduckgo.com/', 'new_visitor'),
      },
      {
        type: 'conversion',
        timestamp: '2026-11-01T10:07:00Z',
        name: 'buy',
        revenue: 5,
        currency: 'EUR',
        properties: { sku: 'a' },
      },
    ];
    const mixed = processInboxRows([row(items[0]!), compactRow(items[1]!)]);
    const compact = processInboxRows([compactRow(items[0]!), row(items[1]!)]);
    for (const out of [mixed, compact]) {
      expect(out.dead).toEqual([]);
      expect(out.sessions).toEqual([
        expect.objectContaining({
          landing: expect.objectContaining({ url: 'https://shop.example/', channel: 'organic_search' }),
          eventCount: 2,
        }),
      ]);
      expect(out.conversions).toEqual([expect.objectContaining({ revenue: 5, currency: 'EUR' })]);
    }
  });

  it('builds one session per id with its landing from the session-start pageview, whatever the order', () => {
    const out = processInboxRows([
      row({
        type: 'pageview',
        timestamp: '2026-11-01T10:05:00Z',
        context: ctx('https://shop.example/p2', 'https://shop.example/', null),
      }),
      row({ type: 'event', timestamp: '2026-11-01T10:06:00Z', name: 'x', properties: {} }),
      row({
        type: 'pageview',
        timestamp: '2026-11-01T10:00:00Z',
        context: ctx('https://shop.example/', 'https://duckduckgo.com/', 'new_visitor'),
      }),
      row({
        type: 'conversion',
        timestamp: '2026-11-01T10:07:00Z',
        name: 'buy',
        revenue: 5,
        currency: 'EUR',
        properties: {},
      }),
      row({ type: 'identify', timestamp: '2026-11-01T10:07:00Z', user_id: 'u1', traits: {} }),
    ]);
    expect(out.sessions).toEqual([
      expect.objectContaining({
        id: S,
        visitorId: V,
        landing: expect.objectContaining({
          url: 'https://shop.example/',
          host: 'shop.example',
          channel: 'organic_search',
          rank: 3,
        }),
        startedAt: Date.parse('2026-11-01T10:00:00Z'),
        lastSeenAt: Date.parse('2026-11-01T10:07:00Z'),
        eventCount: 4,
        pageviewCount: 2,
      }),
    ]);
    expect(out.events).toHaveLength(3);
    expect(out.conversions).toEqual([expect.objectContaining({ revenue: 5, currency: 'EUR' })]);
    expect(out.identities).toEqual([expect.objectContaining({ userId: 'u1', visitorId: V })]);
    expect(out.done).toHaveLength(5);
  });

  it('never takes the landing host from the referrer: an internal referrer is direct, not referral (L8)', () => {
    const out = processInboxRows([
      row({
        type: 'pageview',
        timestamp: '2026-11-01T10:00:00Z',
        context: ctx('https://shop.example/a', 'https://shop.example/b', 'expired'),
      }),
    ]);
    expect(out.sessions[0]?.landing).toMatchObject({ host: 'shop.example', channel: 'direct' });
  });

  it('keys sessions by visitor too: one session id sent under two visitors gives two sessions, each with its own counts', () => {
    const other = '0190f7c2-0000-7000-8000-000000000002';
    const first = row({
      type: 'pageview',
      timestamp: '2026-11-01T10:00:00Z',
      context: ctx('https://shop.example/a', null, 'new_visitor'),
    });
    const second = row({
      type: 'pageview',
      timestamp: '2026-11-01T10:01:00Z',
      visitor_id: other,
      context: ctx('https://shop.example/b', null, 'new_visitor'),
    });
    const third = row({
      type: 'event',
      timestamp: '2026-11-01T10:02:00Z',
      visitor_id: other,
      name: 'x',
      properties: {},
    });
    const out = processInboxRows([first, second, third]);
    expect(out.sessions.map((x) => [x.visitorId, x.id, x.eventCount, x.landing?.url])).toEqual([
      [V, S, 1, 'https://shop.example/a'],
      [other, S, 2, 'https://shop.example/b'],
    ]);
    expect(out.visitors.map((v) => [v.id, v.firstSeenAt, v.lastSeenAt])).toEqual([
      [V, Date.parse('2026-11-01T10:00:00Z'), Date.parse('2026-11-01T10:00:00Z')],
      [other, Date.parse('2026-11-01T10:01:00Z'), Date.parse('2026-11-01T10:02:00Z')],
    ]);
  });

  it("reads utm and click ids from the landing URL when the sender sent none; the sender's own values win", () => {
    const url = 'https://shop.example/?utm_source=newsletter&utm_medium=email&gclid=G1';
    const raw = processInboxRows([
      row({ type: 'pageview', timestamp: '2026-11-01T10:00:00Z', context: ctx(url, null, 'new_visitor') }),
    ]);
    expect(raw.sessions[0]?.landing).toMatchObject({
      channel: 'paid_search',
      utm: { utm_source: 'newsletter', utm_medium: 'email' },
      clickIds: { gclid: 'G1' },
    });
    const own = { ...ctx(url, null, 'new_visitor'), utm: { utm_source: 'partner', utm_medium: 'affiliate' } };
    const explicit = processInboxRows([row({ type: 'pageview', timestamp: '2026-11-01T10:00:00Z', context: own })]);
    expect(explicit.sessions[0]?.landing).toMatchObject({
      channel: 'affiliate',
      utm: { utm_source: 'partner' },
      clickIds: {},
    });
  });

  it('dead-letters rows that can never be processed and keeps the rest', () => {
    const good = row({ type: 'event', timestamp: '2026-11-01T10:00:00Z', name: 'x', properties: {} });
    const broken: InboxRow = { ...good, seq: 999, payload: '{"type":"event"' };
    const mismatched: InboxRow = { ...good, seq: 1000, itemId: 'other' };
    const out = processInboxRows([good, broken, mismatched]);
    expect(out.done).toEqual([good.seq]);
    expect(out.dead.map((d) => d.seq)).toEqual([999, 1000]);
    expect(out.dead[0]?.error).toMatch(/not valid JSON/);
    expect(out.dead[1]?.error).toMatch(/differs/);
  });
});
