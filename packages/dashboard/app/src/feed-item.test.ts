// describeEvent and sinceOf are total: unparseable URLs, missing names and bad times become text or undefined, never exceptions.
import { describe, expect, it } from 'vitest';
import type { EventRow } from './api-types.js';
import { describeEvent, MAX_FEED_TEXT, sinceOf } from './feed-item.js';

const BASE = 'https://touchline.example/';
const row = (over: Partial<EventRow>): EventRow => ({
  id: '1',
  time: '2026-12-06T01:00:00.000Z',
  type: 'pageview',
  name: null,
  url: null,
  visitor_id: 'v',
  session_id: null,
  ...over,
});

describe('describeEvent', () => {
  it.each([
    ['a full URL', 'https://shop.example/pricing?x=1', '/pricing'],
    ['a relative path', '/blog/post', '/blog/post'],
    ['an unparseable URL (bad IPv6 host)', 'http://[bad', 'http://[bad'],
    ['an empty host', 'http://', 'http://'],
    ['a space in the host', 'https://sh op.example/', 'https://sh op.example/'],
  ])('shows a pageview of %s as %j', (_, url, expected) => {
    expect(describeEvent(row({ url }), BASE)).toBe(expected);
  });

  it('clips long values and falls back to the type or "event"', () => {
    const long = `http://[${'x'.repeat(500)}`;
    expect(describeEvent(row({ url: long }), BASE)).toHaveLength(MAX_FEED_TEXT);
    expect(describeEvent(row({ url: null }), BASE)).toBe('pageview');
    expect(describeEvent(row({ type: 'event', name: 'signup' }), BASE)).toBe('signup');
    expect(describeEvent(row({ type: 'identify', name: null }), BASE)).toBe('identify');
    expect(describeEvent({ type: 42, url: {} } as unknown as EventRow, BASE)).toBe('event');
    expect(describeEvent({ type: 'pageview', url: 7 } as unknown as EventRow, BASE)).toBe('pageview');
  });
});

describe('sinceOf', () => {
  it('is the newest time in ms, or undefined when there is none or it is not a time', () => {
    expect(sinceOf(row({}))).toBe(Date.parse('2026-12-06T01:00:00.000Z'));
    expect(sinceOf(undefined)).toBeUndefined();
    expect(sinceOf(row({ time: 'not a time' }))).toBeUndefined();
  });
});
