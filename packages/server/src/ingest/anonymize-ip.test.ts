// Table test of IP truncation before storage.
import { isIPv4 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymizeIp } from './anonymize-ip.js';

describe('anonymizeIp', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0'],
    ['::ffff:198.51.100.23', '198.51.100.0'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::'],
    ['2001:db8::1', '2001:db8:0::'],
    ['::1', '0:0:0::'],
    ['not an ip', null],
    [null, null],
  ])('%s -> %s', (input, expected) => {
    expect(anonymizeIp(input)).toBe(expected);
  });
});

describe('anonymizeIp on IPv4-looking strings', () => {
  it('agrees with node:net isIPv4 (its fast path must not accept or truncate anything differently)', () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.stringMatching(/^[0-9]{0,4}$/));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), (parts) => {
        const ip = parts.join('.');
        const expected = isIPv4(ip) ? `${parts.slice(0, 3).join('.')}.0` : null;
        expect(anonymizeIp(ip)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });
});
