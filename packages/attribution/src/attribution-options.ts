// The one options record every model accepts; each model reads only its own fields.
import type { Touchpoint } from './journey.js';
import type { PathStep } from './markov/path-step.js';

export const DAY_MS = 86_400_000;

/** Options shared by the common model signature. Unknown-to-a-model fields are ignored. */
export interface AttributionOptions {
  /** time_decay: weight halves every `halfLifeMs` before conversion. @default 7 days */
  readonly halfLifeMs?: number;
  /** position_based: share of the first touch. @default 0.4 */
  readonly firstWeight?: number;
  /** position_based: share of the last touch. @default 0.4 (middle touches split the rest) */
  readonly lastWeight?: number;
  /** markov: paths that did not convert; without them every path converts and removal effects measure reach only. */
  readonly nonConverting?: readonly (readonly Touchpoint[])[];
  /** markov: more non-converting paths, counted as steps (from the database); the same chain as passing them whole. */
  readonly nonConvertingSteps?: readonly PathStep[];
  /** shapley: `simplified` (Zhao et al. 2018, exact) or `classic` (coalition game). @default 'simplified' */
  readonly shapleyMethod?: 'simplified' | 'classic';
  /** shapley classic: above this many channels, fall back to permutation sampling. @default 16 */
  readonly maxExactChannels?: number;
  /** shapley classic sampling: number of random permutations. @default 2000 */
  readonly samples?: number;
  /** shapley classic sampling: PRNG seed, so results are reproducible. @default 1 */
  readonly seed?: number;
}
