// What applyProcessed did with a pass, as a value: applied, or not written because another worker finished (some of) its rows.
/**
 * - `applied`: the pass's results and inbox outcomes are committed.
 * - `stale`: none of its rows was still pending (another worker, after our lease expired, finished
 *   them all); nothing was written.
 * - `partial`: only `pending` were still pending; nothing was written. The caller processes those
 *   rows alone and applies again: writing the whole pass would add the finished rows' items to
 *   their sessions' counts a second time.
 * - `tombstoned`: an erasure committed after the pass checked its tombstones (ProcessedBatch.tombstonesAt)
 *   and one of the pass's items is the erased person's; nothing was written. The caller checks the
 *   tombstones again (they are visible now) and applies the rest.
 */
export type ApplyOutcome =
  | { kind: 'applied' }
  | { kind: 'stale' }
  | { kind: 'partial'; pending: number[] }
  | { kind: 'tombstoned' };

export const applied = (): ApplyOutcome => ({ kind: 'applied' });
export const stale = (): ApplyOutcome => ({ kind: 'stale' });
export const partial = (pending: number[]): ApplyOutcome => ({ kind: 'partial', pending });
export const tombstoned = (): ApplyOutcome => ({ kind: 'tombstoned' });

/** The outcome for a pass of `total` inbox rows of which `pending` are still pending. */
export function outcomeOf(total: number, pending: number[]): ApplyOutcome {
  if (pending.length === total) return applied();
  return pending.length === 0 ? stale() : partial(pending);
}
