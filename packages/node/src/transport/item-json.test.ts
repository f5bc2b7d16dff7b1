// itemJson against JSON.stringify: the same bytes for every item, hand-written pageviews included.
import { newId, pageviewItemSchema, type RequestContext } from '@touchline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPageview } from '../client/build-items.js';
import { captureScope } from '../client/capture-scope.js';
import { parseClientSettings } from '../client-settings.js';
import { makeEvent } from '../test-support/make-items.js';
import { itemJson } from './item-json.js';

const text = fc.string({ unit: 'binary', maxLength: 60 });
const record = fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), text, { maxKeys: 3 });
const context: fc.Arbitrary<RequestContext> = fc.record({
  url: fc.option(text),
  referrer: fc.option(text),
  user_agent: fc.option(text),
  ip: fc.option(text),
  utm: record,
  click_ids: record,
  session_start: fc.constantFrom(null, 'new_visitor', 'expired', 'logout', 'campaign', 'referrer'),
});

const pageview = (ctx: RequestContext | null) =>
  buildPageview({ visitorId: newId(), sessionId: newId(), context: ctx, timestamp: Date.now() });

describe('itemJson', () => {
  it('writes a pageview exactly as JSON.stringify does, for any context text', () => {
    fc.assert(
      fc.property(fc.option(context), (ctx) => {
        const item = pageview(ctx === null ? null : Object.freeze(ctx));
        expect(itemJson(item)).toBe(JSON.stringify(item));
      }),
      { numRuns: 300 },
    );
  });

  it('writes the pageview of a real request, and its schema-parsed copy, as JSON.stringify does', () => {
    const settings = parseClientSettings({ apiKey: 'k', endpoint: 'http://127.0.0.1:1' });
    const headers: Record<string, string> = {
      host: 'shop.example',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
      'user-agent': 'Mozilla/5.0 "quoted" \u00e9\ud800',
      referer: 'https://www.google.com/',
    };
    const scope = captureScope(
      {
        method: 'GET',
        url: '/landing?utm_source=news&gclid=abc',
        header: (name) => headers[name],
        remoteAddress: '10.0.0.1',
        encrypted: true,
        appendSetCookie: () => true,
      },
      settings,
      Date.now(),
    );
    const item = pageview(scope.context);
    expect(itemJson(item)).toBe(JSON.stringify(item));
    const parsed = pageviewItemSchema.parse(JSON.parse(JSON.stringify(item)));
    expect(itemJson(parsed)).toBe(JSON.stringify(parsed));
  });

  it('leaves out a context field that is undefined, as JSON.stringify does', () => {
    const ctx = {
      url: 'http://a/',
      referrer: null,
      user_agent: undefined,
      ip: null,
      utm: {},
      click_ids: {},
      session_start: null,
    };
    const item = pageview(ctx as unknown as RequestContext);
    expect(itemJson(item)).toBe(JSON.stringify(item));
  });

  it('is JSON.stringify for every other item', () => {
    const item = makeEvent('e', { properties: { a: [1, 'x'], b: null } });
    expect(itemJson(item)).toBe(JSON.stringify(item));
  });
});
