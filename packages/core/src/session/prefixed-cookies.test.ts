// readPrefixedCookies must read exactly what the cookie package's parse reads, for the names it keeps.
import { parse } from 'cookie';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPrefixedCookies } from './prefixed-cookies.js';

/** The reference: parse everything with the cookie package, keep the prefixed names in header order. */
function reference(header: string, prefix: string): Map<string, string> {
  const all = parse(header);
  return new Map(
    Object.entries(all).filter((e): e is [string, string] => e[0].startsWith(prefix) && e[1] !== undefined),
  );
}

const piece = fc.constantFrom(
  'tl_',
  'tl_vid',
  'tl_s1',
  'tl_s02',
  'tl_act',
  'tl',
  'x',
  'a',
  '=',
  ';',
  ' ',
  '\t',
  '%',
  '%41',
  '%E0%A4%A',
  '"',
  '-',
  '.',
  '0',
  '1',
  'é',
  ',',
);
const header = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''));

describe('readPrefixedCookies', () => {
  it('reads what cookie.parse reads for every prefixed name, in the same order, from any header', () => {
    fc.assert(
      fc.property(header, fc.constantFrom('tl_', 'app_', 'tl_s'), (h, prefix) => {
        expect([...readPrefixedCookies(h, prefix)]).toEqual([...reference(h, prefix)]);
      }),
      { numRuns: 10_000 },
    );
  });

  it('reads a browser header: first occurrence wins, blanks trimmed, escapes decoded, others ignored', () => {
    const h =
      'session=abc; tl_vid = 0190f7c2-0000-7000-8000-000000000001 ; tl_s1=-.k3; tl_vid=other; tl_act=%31; broken; tl_s2=%E0';
    expect(Object.fromEntries(readPrefixedCookies(h, 'tl_'))).toEqual({
      tl_vid: '0190f7c2-0000-7000-8000-000000000001',
      tl_s1: '-.k3',
      tl_act: '1',
      tl_s2: '%E0',
    });
  });
});
