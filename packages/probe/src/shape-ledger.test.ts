// Check 4 in isolation: responses compared with the first 2xx answer of the same endpoint.
import { describe, expect, it } from 'vitest';
import { createShapeLedger } from './shape-ledger.js';

const ref = { method: 'GET', path: '/a?x=1', seq: 1 };
const json = { 'content-type': 'application/json; charset=utf-8' };

describe('createShapeLedger', () => {
  it('accepts answers shaped like the first one', () => {
    const ledger = createShapeLedger();
    expect(ledger.observe('u', ref, '/a', 200, json, '{"user":"x","n":1}')).toEqual([]);
    expect(ledger.observe('u', ref, '/a', 200, json, '{"n":2,"user":"y"}')).toEqual([]);
    expect(ledger.observe('u', ref, '/a', 500, { 'content-type': 'text/plain' }, 'oops')).toEqual([]);
  });

  it('flags other keys or another media type on the same endpoint', () => {
    const ledger = createShapeLedger();
    ledger.observe('u', ref, '/a', 200, json, '{"user":"x"}');
    expect(ledger.observe('u', ref, '/a', 200, json, '{"cart":[]}')).toMatchObject([
      {
        kind: 'shape-mismatch',
        expected: 'application/json with keys {user} (first answer of GET /a)',
        received: 'application/json with keys {cart}',
      },
    ]);
    expect(ledger.observe('u', ref, '/a', 200, { 'content-type': 'text/html' }, '<p>')).toHaveLength(1);
    expect(ledger.observe('u', ref, '/b', 200, { 'content-type': 'text/html' }, '<p>')).toEqual([]);
  });

  it('checks an x-probe-path echo against the requested path', () => {
    const ledger = createShapeLedger();
    expect(ledger.observe('u', ref, '/a', 200, { 'x-probe-path': '/a?x=1' }, '')).toEqual([]);
    expect(ledger.observe('u', ref, '/a', 404, { 'x-probe-path': '/b' }, '')).toMatchObject([
      { kind: 'shape-mismatch', expected: 'x-probe-path /a', received: 'x-probe-path /b' },
    ]);
  });
});
