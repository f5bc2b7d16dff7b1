// The result constructors build the shapes callers narrow on, and nothing else.
import { describe, expect, it } from 'vitest';
import { err, ok, type Result } from './result.js';

function half(n: number): Result<number> {
  return n % 2 === 0 ? ok(n / 2) : err(`${n} is odd`);
}

describe('Result', () => {
  it('ok carries the value and err the error, told apart by kind', () => {
    expect(half(4)).toEqual(ok(2));
    expect(half(3)).toEqual(err('3 is odd'));
    expect(ok(2)).toEqual({ kind: 'ok', value: 2 });
    expect(err('no')).toEqual({ kind: 'err', error: 'no' });
  });

  it('narrows on kind', () => {
    const r = half(6);
    const seen = r.kind === 'ok' ? r.value + 1 : r.error.length;
    expect(seen).toBe(4);
    expect(ok(1)).not.toEqual(err(1));
  });
});
