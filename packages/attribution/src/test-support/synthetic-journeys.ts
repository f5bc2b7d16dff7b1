// Seeded synthetic users whose conversion probability depends on which channels touched them.
import type { Journey, Touchpoint } from '../journey.js';
import { createRandom } from '../random.js';

export interface SyntheticSpec {
  readonly users: number;
  readonly channels: readonly string[];
  readonly maxTouches: number;
  readonly baseRate: number;
  /** Added conversion probability when the channel appears anywhere on the path. */
  readonly lift: Readonly<Record<string, number>>;
  readonly seed: number;
}

export interface SyntheticData {
  readonly journeys: Journey[];
  readonly nonConverting: Touchpoint[][];
}

export function syntheticJourneys(spec: SyntheticSpec): SyntheticData {
  const random = createRandom(spec.seed);
  const journeys: Journey[] = [];
  const nonConverting: Touchpoint[][] = [];
  for (let u = 0; u < spec.users; u++) {
    const length = 1 + Math.floor(random() * spec.maxTouches);
    const touches: Touchpoint[] = [];
    const seen = new Set<string>();
    for (let t = 0; t < length; t++) {
      const channel = spec.channels[Math.floor(random() * spec.channels.length)] ?? 'direct';
      seen.add(channel);
      touches.push({ channel, timestamp: 1_000_000 + t * 3_600_000 });
    }
    let p = spec.baseRate;
    for (const channel of seen) p += spec.lift[channel] ?? 0;
    if (random() < p) {
      journeys.push({
        conversionId: `u${u}`,
        revenue: 10,
        convertedAt: 1_000_000 + length * 3_600_000,
        touchpoints: touches,
      });
    } else {
      nonConverting.push(touches);
    }
  }
  return { journeys, nonConverting };
}
