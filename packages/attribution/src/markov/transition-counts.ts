// Counts first-order transitions over all paths: counting is the path aggregation, O(total touches).
import type { ChannelIndex } from '../channel-index.js';
import { DIRECT, type Journey, type Touchpoint } from '../journey.js';

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

/**
 * Converting journeys end in `conversion`, non-converting paths in `null`. An empty converting
 * journey is the path [direct]. Empty non-converting paths are skipped: start -> null scales the
 * conversion probability with and without any channel alike, so removal effects ignore it.
 */
export function countTransitions(
  journeys: readonly Journey[],
  nonConverting: readonly (readonly Touchpoint[])[],
  index: ChannelIndex,
): TransitionCounts {
  // First pass fixes the channel count so the matrix can be allocated once.
  for (const journey of journeys) {
    if (journey.touchpoints.length === 0) index.idOf(DIRECT);
    for (const touch of journey.touchpoints) index.idOf(touch.channel);
  }
  for (const path of nonConverting) for (const touch of path) index.idOf(touch.channel);
  const k = index.size;
  const width = k + 3;
  const counts = new Float64Array((k + 1) * width);
  for (const journey of journeys) {
    const last = journey.touchpoints.length === 0
      ? countStep(counts, width, k, index.idOf(DIRECT))
      : countPath(counts, width, k, journey.touchpoints, index);
    counts[last * width + k + 1] = (counts[last * width + k + 1] ?? 0) + 1;
  }
  for (const path of nonConverting) {
    if (path.length === 0) continue;
    const last = countPath(counts, width, k, path, index);
    counts[last * width + k + 2] = (counts[last * width + k + 2] ?? 0) + 1;
  }
  return { channelCount: k, width, counts };
}

/** Counts start -> t1 -> ... -> tn and returns the last state. */
function countPath(
  counts: Float64Array, width: number, start: number, path: readonly Touchpoint[], index: ChannelIndex,
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
