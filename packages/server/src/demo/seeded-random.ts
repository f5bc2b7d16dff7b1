// createSeededRandom: a small deterministic PRNG (mulberry32) with the draws the demo generator needs.

export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(values: readonly T[]): T;
  /** One value, by relative weights. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T;
  /** A UUIDv7-shaped id for time `at`: deterministic for a seed (the SDK's ids are random; a demo must replay). */
  uuid7(at: number): string;
  /** 16 hex characters, for click ids and the like. */
  hex(length: number): string;
}

const HEX_DIGITS = '0123456789abcdef';

export function createSeededRandom(seed: number): SeededRandom {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // One draw per digit, as before; a loop over a digit table, since the demo makes tens of millions of ids.
  const hex = (length: number): string => {
    let out = '';
    for (let i = 0; i < length; i++) out += HEX_DIGITS[Math.floor(next() * 16)] as string;
    return out;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (values) => values[Math.floor(next() * values.length)] as (typeof values)[number],
    weighted(entries) {
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [value, w] of entries) {
        r -= w;
        if (r < 0) return value;
      }
      return (entries[entries.length - 1] as readonly [never, number])[0];
    },
    uuid7(at) {
      const ms = Math.max(0, Math.floor(at)).toString(16).padStart(12, '0').slice(-12);
      const variant = (8 + Math.floor(next() * 4)).toString(16);
      return `${ms.slice(0, 8)}-${ms.slice(8)}-7${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
    },
    hex,
  };
}
