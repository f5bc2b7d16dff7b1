// Counts first-order transitions over all paths: counting is the path aggregation, O(total touches).
import type { ChannelIndex } from '../channel-index.js';
import { DIRECT, type Journey, type Touchpoint } from '../journey.js';
import type { PathStep } from './path-step.js';

/**
 * Transition counts of the absorbing chain. States: channels `0 .. k-1` (ids from the index),
 * `start = k`, `conversion = k + 1`, `null = k + 2`. Row `r` (a channel or start) lives at
 * `counts[r * width .. r * width + width)`.
 */
export interface TransitionCounts {
  readonly channelCount: number;
  readonly width: number;
  readonly counts: Float64Array;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Converting journeys end in `conversion`, non-converting paths in `null`. An empty converting
 * journey is the path [direct]. Empty non-converting paths are skipped: start -> null scales the
 * conversion probability with and without any channel alike, so removal effects ignore it.
 * Non-converting paths may come whole (`nonConverting`), already counted as steps (`steps`), or
 * both: the counts are integers, so every split of the same paths gives the same matrix.
 *
 * `index` must be empty: channels get ids in code-unit order of their names, never in the order
 * paths arrive, so the chain (and the rounding of its solution) is the same however the paths were
 * read, grouped or split. The removal effects are then exactly equal, not merely close.
 */
export function countTransitions(
  journeys: readonly Journey[],
  nonConverting: readonly (readonly Touchpoint[])[],
  index: ChannelIndex,
  steps: readonly PathStep[] = [],
): TransitionCounts {
  if (index.size !== 0)
    throw new RangeError('countTransitions: the channel index must be empty (ids are assigned in name order)');
  const names = new Set<string>();
  for (const journey of journeys) {
    if (journey.touchpoints.length === 0) names.add(DIRECT);
    for (const touch of journey.touchpoints) names.add(touch.channel);
  }
  for (const path of nonConverting) for (const touch of path) names.add(touch.channel);
  for (const step of steps) {
    if (!Number.isSafeInteger(step.count) || step.count < 0)
      throw new RangeError(`countTransitions: a step's count must be a non-negative integer, got ${step.count}`);
    if (step.from !== null) names.add(step.from);
    if (step.to !== null) names.add(step.to);
  }
  for (const name of [...names].sort(byCodeUnits)) index.idOf(name);
  const k = index.size;
  const width = k + 3;
  const counts = new Float64Array((k + 1) * width);
  for (const journey of journeys) {
    const last =
      journey.touchpoints.length === 0
        ? countStep(counts, width, k, index.idOf(DIRECT))
        : countPath(counts, width, k, journey.touchpoints, index);
    counts[last * width + k + 1] = (counts[last * width + k + 1] ?? 0) + 1;
  }
  for (const path of nonConverting) {
    if (path.length === 0) continue;
    const last = countPath(counts, width, k, path, index);
    counts[last * width + k + 2] = (counts[last * width + k + 2] ?? 0) + 1;
  }
  for (const { from, to, count } of steps) {
    if (from === null && to === null) continue;
    const row = from === null ? k : index.idOf(from);
    const col = to === null ? k + 2 : index.idOf(to);
    counts[row * width + col] = (counts[row * width + col] ?? 0) + count;
  }
  return { channelCount: k, width, counts };
}

/** Counts start -> t1 -> ... -> tn and returns the last state. */
function countPath(
  counts: Float64Array,
  width: number,
  start: number,
  path: readonly Touchpoint[],
  index: ChannelIndex,
): number {
  let from = start;
  for (const touch of path) {
    const to = index.idOf(touch.channel);
    counts[from * width + to] = (counts[from * width + to] ?? 0) + 1;
    from = to;
  }
  return from;
}

function countStep(counts: Float64Array, width: number, start: number, to: number): number {
  counts[start * width + to] = (counts[start * width + to] ?? 0) + 1;
  return to;
}
