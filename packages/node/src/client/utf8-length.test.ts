// utf8LengthPortable must agree with the encoder on every kind of code point, lone surrogates included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length, utf8LengthPortable } from './utf8-length.js';

const encoded = (text: string): number => new TextEncoder().encode(text).length;

describe('utf8 length', () => {
  it.each(['', 'a', 'é', '€', '😀', '\ud800', '\udc00x', 'a\ud83d', '\ud83d\ude00\ud83d'])(
    'counts %j like TextEncoder',
    (text) => {
      expect(utf8LengthPortable(text)).toBe(encoded(text));
      expect(utf8Length(text)).toBe(encoded(text));
    },
  );

  it('agrees with TextEncoder on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => utf8LengthPortable(text) === encoded(text)));
  });
});
