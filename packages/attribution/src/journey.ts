// Input and output value types shared by every attribution model.

/** One marketing touch on the way to a conversion. */
export interface Touchpoint {
  readonly channel: string;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly campaign?: string | null;
}

/** A conversion and the touches that preceded it, sorted by timestamp (may be empty). */
export interface Journey {
  readonly conversionId: string;
  /** Exact to the micro-unit (6 decimals); credits split it in integer micro-units (money.ts). */
  readonly revenue: number;
  /** Epoch milliseconds. */
  readonly convertedAt: number;
  readonly touchpoints: readonly Touchpoint[];
}

/** One channel's share of one conversion: `credit` in [0, 1], `revenue` = credit x conversion revenue. */
export interface Credit {
  readonly channel: string;
  readonly credit: number;
  readonly revenue: number;
}

/** A channel's credit summed over all conversions (`conversions` is fractional). */
export interface ChannelTotal {
  readonly channel: string;
  readonly conversions: number;
  readonly revenue: number;
}

/** Channel credited when a journey has no touchpoints at all. */
export const DIRECT = 'direct';
