// Unit tests of the worker's structural payload check: good items pass as they are, corrupt shapes are named.
import { err, ok } from '@touchline/core';
import { describe, expect, it } from 'vitest';
import { parseStoredItem } from './parse-stored-item.js';

const ID = '0190f7c2-0000-7000-8000-000000000001';
const base = { id: ID, timestamp: '2026-11-01T10:00:00Z', visitor_id: ID, session_id: null, context: null };
const ctx = {
  url: 'https://a.example/',
  referrer: null,
  user_agent: 'UA',
  ip: null,
  utm: {},
  click_ids: {},
  session_start: null,
};

describe('parseStoredItem', () => {
  it('passes every item type through unchanged, with its time', () => {
    const items = [
      { ...base, type: 'pageview', context: ctx },
      { ...base, type: 'event', name: 'x', properties: {} },
      { ...base, type: 'conversion', name: 'buy', revenue: 5, currency: 'EUR', properties: {} },
      { ...base, type: 'identify', user_id: 'u1', traits: {} },
      { ...base, type: 'session_end', next_session_id: ID },
    ];
    for (const item of items) expect(parseStoredItem(item)).toEqual(ok({ item, ts: Date.parse(base.timestamp) }));
  });

  it('names what is wrong with a corrupt payload', () => {
    expect(parseStoredItem([])).toEqual(err(expect.stringMatching(/not a JSON object/)));
    expect(parseStoredItem({ ...base, type: 'toString' })).toEqual(err(expect.stringMatching(/no known item type/)));
    expect(parseStoredItem({ ...base, type: 'pageview', visitor_id: 7 })).toEqual(
      err(expect.stringMatching(/visitor_id/)),
    );
    expect(parseStoredItem({ ...base, type: 'pageview', timestamp: 'soon' })).toEqual(
      err(expect.stringMatching(/timestamp/)),
    );
    expect(parseStoredItem({ ...base, type: 'pageview', context: { url: null } })).toEqual(
      err(expect.stringMatching(/context/)),
    );
    expect(parseStoredItem({ ...base, type: 'event', name: 'x' })).toEqual(err(expect.stringMatching(/properties/)));
    expect(parseStoredItem({ ...base, type: 'event', id: 'nope', name: 'x' })).toEqual(
      err(expect.stringMatching(/properties/)),
    );
  });
});
