// Which inbox payloads are a person's: both stored layouts, identify's user id, poison rows by their text.
import { describe, expect, it } from 'vitest';
import { linkedVisitor, payloadBelongsTo, quotedIds } from './inbox-payload-person.js';

const person = { visitors: new Set(['v-1']), users: new Set(['erin@example.com']) };

describe('payloadBelongsTo', () => {
  it('reads the visitor id of the compact layout and of the older object form', () => {
    expect(payloadBelongsTo('pageview', JSON.stringify([1, 5, 'v-1', null, null]), person)).toBe(true);
    expect(payloadBelongsTo('pageview', JSON.stringify([1, 5, 'v-2', null, null]), person)).toBe(false);
    expect(payloadBelongsTo('event', JSON.stringify({ type: 'event', visitor_id: 'v-1' }), person)).toBe(true);
  });

  it("takes an identify by its user id, and never another item that merely mentions the person's ids", () => {
    expect(
      payloadBelongsTo('identify', JSON.stringify([1, 5, 'v-9', null, null, 'erin@example.com', {}]), person),
    ).toBe(true);
    expect(
      payloadBelongsTo('identify', JSON.stringify({ visitor_id: 'v-9', user_id: 'erin@example.com' }), person),
    ).toBe(true);
    expect(
      payloadBelongsTo(
        'event',
        JSON.stringify([1, 5, 'v-9', null, null, 'clicked', { ref: 'v-1', who: 'erin@example.com' }]),
        person,
      ),
    ).toBe(false);
  });

  it('takes a payload that is not JSON when it holds an id as a JSON string (erring towards erasure)', () => {
    expect(payloadBelongsTo('pageview', '[1, "v-1", oops', person)).toBe(true);
    expect(payloadBelongsTo('pageview', '[1, "v-2", oops', person)).toBe(false);
  });
});

describe('linkedVisitor and quotedIds', () => {
  it("names the device a pending identify links to the person's user id", () => {
    expect(linkedVisitor('identify', JSON.stringify([1, 5, 'v-new', null, null, 'erin@example.com', {}]), person)).toBe(
      'v-new',
    );
    expect(
      linkedVisitor('identify', JSON.stringify([1, 5, 'v-new', null, null, 'otto@example.com', {}]), person),
    ).toBeNull();
    expect(linkedVisitor('pageview', JSON.stringify([1, 5, 'v-new', null, null]), person)).toBeNull();
    expect(quotedIds({ visitors: new Set(['a"b']), users: new Set() })).toEqual(['"a\\"b"']);
  });

  it("names no device for a pending cookieless identify: its nil visitor id would make every cookieless item the person's", () => {
    const nil = '00000000-0000-0000-0000-000000000000';
    expect(
      linkedVisitor('identify', JSON.stringify([1, 5, nil, nil, null, 'erin@example.com', {}]), person),
    ).toBeNull();
  });
});
