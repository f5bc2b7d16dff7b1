// The sender's clock against the collector's, measured from a batch's sent_at, and the correction applied to its items' timestamps.

/**
 * How a batch's item timestamps are read, from `offsetMs` = sent_at − the collector's receive time
 * (positive: the sender's clock is ahead). Network time makes every offset slightly negative, so
 * within the tolerance nothing is corrected; beyond the bound the clock is too wrong to trust and
 * items are judged as sent (today's rule), with the skew named in their errors.
 */
export type SenderClock =
  | { kind: 'in_sync'; offsetMs: number }
  | { kind: 'corrected'; offsetMs: number }
  | { kind: 'too_far'; offsetMs: number };

export interface ClockRules {
  /** |offset| up to this is taken as network time and left alone. */
  clockToleranceMs: number;
  /** |offset| beyond this is not corrected. */
  maxClockCorrectionMs: number;
}

export function senderClock(sentAtMs: number, receivedAtMs: number, rules: ClockRules): SenderClock {
  const offsetMs = Number.isFinite(sentAtMs) ? sentAtMs - receivedAtMs : 0;
  const size = Math.abs(offsetMs);
  if (size <= rules.clockToleranceMs) return { kind: 'in_sync', offsetMs };
  if (size <= rules.maxClockCorrectionMs) return { kind: 'corrected', offsetMs };
  return { kind: 'too_far', offsetMs };
}

/** The ms to subtract from an item's timestamp. */
export const correctionMs = (clock: SenderClock | null): number => (clock?.kind === 'corrected' ? clock.offsetMs : 0);

/** "2 h 5 min ahead", "40 s behind": the skew as people read it. */
export function describeOffset(offsetMs: number): string {
  const size = Math.abs(offsetMs);
  // Whole minutes (rounded: network time makes a 25 h skew measure a few ms short of it), seconds below one.
  const minutes = Math.round(size / 60_000);
  const h = Math.floor(minutes / 60);
  const min = minutes % 60;
  const text =
    size < 60_000 ? `${Math.round(size / 1000)} s` : h > 0 ? `${h} h${min > 0 ? ` ${min} min` : ''}` : `${min} min`;
  return `${text} ${offsetMs >= 0 ? 'ahead of' : 'behind'}`;
}
