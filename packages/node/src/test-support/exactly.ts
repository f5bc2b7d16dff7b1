// exactly(v): an asymmetric matcher for toMatchObject that demands deep equality, not a subset (`dropped: {}` matches any object otherwise).
import { isDeepStrictEqual } from 'node:util';

export interface ExactMatcher {
  asymmetricMatch(actual: unknown): boolean;
  toString(): string;
  toAsymmetricMatcher(): string;
}

/** Inside `toMatchObject({ stats: { dropped: exactly({}) } })`: the drops must be exactly these, no others. */
export function exactly(expected: unknown): ExactMatcher {
  return {
    asymmetricMatch: (actual) => isDeepStrictEqual(actual, expected),
    toString: () => 'exactly',
    toAsymmetricMatcher: () => `exactly(${JSON.stringify(expected)})`,
  };
}
