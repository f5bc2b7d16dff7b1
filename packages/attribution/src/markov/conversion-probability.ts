// P(conversion | start) of the absorbing chain, optionally with one channel removed.
import { solveLinearSystem } from './solve-linear-system.js';
import type { TransitionCounts } from './transition-counts.js';

/**
 * Solves x_i = sum_j P(i -> j) x_j + P(i -> conversion) for every channel state exactly (direct
 * solve, no iteration tolerance), then returns sum_j P(start -> j) x_j. Removing channel `removed`
 * (pass -1 for none) makes it a dead end: every transition into it now leads to null, x_removed = 0.
 */
export function conversionProbability(chain: TransitionCounts, removed: number): number {
  const { channelCount: k, width, counts } = chain;
  if (k === 0) return 0;
  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    a[i * k + i] = 1;
    let total = 0;
    for (let j = 0; j < width; j++) total += counts[i * width + j] ?? 0;
    if (i === removed || total === 0) continue;
    for (let j = 0; j < k; j++) a[i * k + j] = (a[i * k + j] ?? 0) - (counts[i * width + j] ?? 0) / total;
    b[i] = (counts[i * width + k + 1] ?? 0) / total;
  }
  const x = solveLinearSystem(a, b, k);
  let startTotal = 0;
  for (let j = 0; j < width; j++) startTotal += counts[k * width + j] ?? 0;
  if (startTotal === 0) return 0;
  let p = 0;
  for (let j = 0; j < k; j++) p += ((counts[k * width + j] ?? 0) / startTotal) * (x[j] ?? 0);
  return p;
}
