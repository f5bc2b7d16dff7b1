// Checks 2 and 3 in isolation: cookies handed to the wrong browser, and session values that flap back.
import { describe, expect, it } from 'vitest';
import type { SetCookie } from './cookie-jar.js';
import { createCookieLedger, isIdentifierLike } from './cookie-ledger.js';

const ref = (seq: number) => ({ method: 'GET', path: '/', seq });
const sid = (value: string, expiresAt: number | null = null): SetCookie => ({ name: 'sid', value, expiresAt });
const A = 'aaaa-1111-aaaa';
const B = 'bbbb-2222-bbbb';
const C = 'cccc-3333-cccc';

describe('createCookieLedger', () => {
  it('flags a value another browser was given first', () => {
    const ledger = createCookieLedger();
    expect(ledger.observe(0, 'u0', ref(1), [sid(A)], 0)).toEqual([]);
    expect(ledger.observe(1, 'u1', ref(2), [sid(A)], 0)).toEqual([
      {
        kind: 'foreign-cookie',
        user: 'u1',
        request: ref(2),
        expected: 'a sid value no other browser was given',
        received: `sid=${A}, first given to u0 (request #1)`,
      },
    ]);
  });

  it('flags A -> B -> A but not A -> B -> C or repeats', () => {
    const ledger = createCookieLedger();
    const seen = [A, A, B, C, C].flatMap((v, i) => ledger.observe(0, 'u0', ref(i), [sid(v)], 0));
    expect(seen).toEqual([]);
    const [flap] = ledger.observe(0, 'u0', ref(9), [sid(B)], 0);
    expect(flap).toMatchObject({
      kind: 'session-flap',
      received: `sid set back to ${B} (${A} -> ${B} -> ${C} -> ${B})`,
    });
  });

  it('ignores constants, deletions and ignored names', () => {
    const ledger = createCookieLedger(['csrf']);
    const shared = [
      { name: 'act', value: '1', expiresAt: null },
      { name: 'csrf', value: A, expiresAt: null },
    ];
    expect(ledger.observe(0, 'u0', ref(1), shared, 0)).toEqual([]);
    expect(ledger.observe(1, 'u1', ref(2), shared, 0)).toEqual([]);
    expect(ledger.observe(0, 'u0', ref(3), [sid(A)], 10)).toEqual([]);
    expect(ledger.observe(1, 'u1', ref(4), [sid(A, 5)], 10)).toEqual([]);
  });

  it('isIdentifierLike: 8+ characters with a digit, or 16+', () => {
    expect(['1', '-', 'dark', 'abcdefgh'].map(isIdentifierLike)).toEqual([false, false, false, false]);
    expect(['abcdefg1', 'abcdefghijklmnop'].map(isIdentifierLike)).toEqual([true, true]);
  });
});
