// The text rule's two checks: the path of the first NUL in a parsed value, and the raw-body pre-check that lets clean bodies skip the walk.
import { describe, expect, it } from 'vitest';
import { findNul, mayHoldNul } from './find-nul.js';

describe('findNul', () => {
  it.each([
    [{ a: 'x', b: ['y', { c: 'z\u0000' }] }, 'b[1].c'],
    [{ context: { utm: { utm_campaign: '\u0000' } } }, 'context.utm.utm_campaign'],
    [{ properties: { 'k\u0000': 1 } }, 'properties."k\\u0000" (the key)'],
    [{ a: 'x', n: 1, t: true, z: null }, null],
  ])('%j -> %s', (value, path) => {
    expect(findNul(value)).toBe(path);
  });
});

describe('mayHoldNul', () => {
  it('is true whenever the parsed body could hold a NUL, as text or bytes', () => {
    const body = JSON.stringify({ name: 'a\u0000b' });
    expect(mayHoldNul(body)).toBe(true);
    expect(mayHoldNul(Buffer.from(body))).toBe(true);
    expect(mayHoldNul(JSON.stringify({ name: 'plain \\ text u0000' }))).toBe(false);
  });
});
