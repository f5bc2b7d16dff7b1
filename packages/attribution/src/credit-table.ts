// Columnar per-conversion credits: a million conversions cost a few typed arrays, not millions of objects.
import type { Credit, Journey } from './journey.js';
import { fromMicros } from './money.js';

/** Per-conversion credits, row `i` belonging to `journeys[i]`; objects are only built when read. */
export class CreditTable {
  constructor(
    private readonly journeys: readonly Journey[],
    private readonly channelNames: readonly string[],
    /** Row `i` spans entries `offsets[i] .. offsets[i + 1]`. */
    private readonly offsets: Uint32Array,
    private readonly channelIds: Int32Array,
    private readonly shares: Float64Array,
    /** Each entry's revenue in integer micro-units. */
    private readonly micros: Float64Array,
  ) {}

  /** Number of conversions. */
  get size(): number {
    return this.offsets.length - 1;
  }

  conversionIdAt(index: number): string {
    return this.journeyAt(index).conversionId;
  }

  /** Credits of conversion `index`; shares sum to 1 and revenues exactly to the conversion's revenue. */
  creditsAt(index: number): Credit[] {
    this.journeyAt(index);
    const start = this.offsets[index] ?? 0;
    const end = this.offsets[index + 1] ?? start;
    const credits: Credit[] = [];
    for (let e = start; e < end; e++) {
      const credit = this.shares[e] ?? 0;
      const channel = this.channelNames[this.channelIds[e] ?? -1] ?? '';
      credits.push({ channel, credit, revenue: fromMicros(this.micros[e] ?? 0) });
    }
    return credits;
  }

  /** Credits keyed by conversion id (a later duplicate id replaces an earlier one). */
  toMap(): Map<string, Credit[]> {
    const map = new Map<string, Credit[]>();
    for (let i = 0; i < this.size; i++) map.set(this.conversionIdAt(i), this.creditsAt(i));
    return map;
  }

  private journeyAt(index: number): Journey {
    const journey = this.journeys[index];
    if (journey === undefined || index >= this.size) {
      throw new RangeError(`CreditTable: no conversion at index ${index} (size ${this.size})`);
    }
    return journey;
  }
}
