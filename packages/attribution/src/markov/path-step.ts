// A transition of the Markov chain counted over many non-converting paths at once: what the database aggregates instead of returning every path.

/**
 * `count` paths took the step `from -> to`. `from` null is the path's start, `to` null its end
 * without a conversion. A path `a > b` is the steps (null, a), (a, b), (b, null); paths that share
 * steps add their counts, so a whole window of non-converting paths is a few rows per channel pair.
 */
export interface PathStep {
  readonly from: string | null;
  readonly to: string | null;
  readonly count: number;
}
