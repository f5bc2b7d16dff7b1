// The rollups differential comparison: every report read from the read model must equal its raw-row oracle, over many ranges and buckets.
import { expect } from 'vitest';
import type { Storage } from '../../storage.js';
import { prng } from '../rollup-traffic.js';
import type { RawConnection } from './raw-connection.js';
import { rawSessionsByChannel } from './raw-count-sessions-by-channel.js';
import { rawTopLandingPages } from './raw-top-landing-pages.js';
import { rawTopReferrers } from './raw-top-referrers.js';
import { rawTopUtmValues } from './raw-top-utm-values.js';
import { rawStats } from './raw-stats.js';
import { rawTimeSeries } from './raw-time-series.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Ranges over and around the traffic: hour-aligned, unaligned, inside one hour, empty, reversed. */
function ranges(seed: number, from: number, to: number): Array<[number, number]> {
  const rand = prng(seed ^ 0x5eed);
  const at = (): number => from - 2 * HOUR + Math.floor(rand() * (to - from + 4 * HOUR));
  const hour = (): number => Math.floor(at() / HOUR) * HOUR;
  const out: Array<[number, number]> = [
    [from - DAY, to + DAY],
    [Math.floor(from / HOUR) * HOUR, Math.ceil(to / HOUR) * HOUR],
  ];
  for (let n = 0; n < 6; n++) {
    const [a, b] = [at(), at()];
    out.push([Math.min(a, b), Math.max(a, b)]);
  }
  for (let n = 0; n < 3; n++) {
    const [a, b] = [hour(), hour()];
    out.push([Math.min(a, b), Math.max(a, b)]);
  }
  const inside = at();
  out.push([inside, inside + Math.floor(rand() * 50 * MINUTE)], [inside, inside], [inside + HOUR, inside]);
  return out;
}

const BUCKETS = [HOUR, DAY, 25 * MINUTE, 7 * HOUR, 90 * MINUTE + 17];

/**
 * Stats, sessions by channel, top landing pages, referrers and utm values, and time series in
 * several buckets and origins, over ranges derived from `seed` around [from, to): each must equal
 * the raw query it replaced.
 */
export async function expectSameAnswers(
  storage: Storage,
  raw: RawConnection,
  accountId: string,
  seed: number,
  from: number,
  to: number,
): Promise<void> {
  for (const [a, b] of ranges(seed, from, to)) {
    const where = `[${a}, ${b})`;
    expect(await storage.stats(accountId, a, b), `stats ${where}`).toEqual(await rawStats(raw.conn, accountId, a, b));
    expect(await storage.countSessionsByChannel(accountId, a, b), `channels ${where}`).toEqual(
      await rawSessionsByChannel(raw.conn, accountId, a, b),
    );
    for (const limit of [3, 100]) {
      const top = { from: a, to: b, limit };
      expect(await storage.topLandingPages(accountId, top), `landing pages ${where}`).toEqual(
        await rawTopLandingPages(raw.conn, accountId, top),
      );
      expect(await storage.topReferrers(accountId, top), `referrers ${where}`).toEqual(
        await rawTopReferrers(raw.conn, accountId, top),
      );
      for (const field of ['source', 'medium', 'campaign'] as const) {
        const utm = { ...top, field };
        expect(await storage.topUtmValues(accountId, utm), `utm ${field} ${where}`).toEqual(
          await rawTopUtmValues(raw.conn, accountId, utm),
        );
      }
    }
    if (b <= a) continue;
    for (const bucketMs of BUCKETS) {
      // Buckets counted from `from`, and (as the dashboard asks) from the hour or UTC day before it.
      for (const origin of new Set([a, Math.floor(a / HOUR) * HOUR, Math.floor(a / DAY) * DAY])) {
        if (origin <= a - bucketMs || (b - origin) / bucketMs > 2000) continue;
        const window = { from: a, to: b, bucketMs, origin };
        expect(await storage.timeSeries(accountId, window), `series ${where} / ${bucketMs} from ${origin}`).toEqual(
          await rawTimeSeries(raw.conn, accountId, window),
        );
      }
    }
  }
}
