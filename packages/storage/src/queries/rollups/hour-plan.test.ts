// The hour plan: which parts of a bucketed range the rollups answer and which are read from raw rows.
import { describe, expect, it } from 'vitest';
import { HOUR_MS, planHours, wholeDays } from './hour-plan.js';

const DAY = 24 * HOUR_MS;
const from = Date.parse('2026-11-05T11:37:12.345Z');
const to = from + 30 * DAY;

/** Total ms the plan covers, hours and pieces together. */
const covered = (p: ReturnType<typeof planHours>): number =>
  p.hours.reduce((n, s) => n + (s.to - s.from) * HOUR_MS, 0) + p.pieces.reduce((n, x) => n + x.to - x.from, 0);

describe('planHours', () => {
  it('cuts one hour per bucket into raw pieces when day buckets start at an unaligned from', () => {
    const plan = planHours(from, to, DAY);
    expect(covered(plan)).toBe(to - from);
    expect(plan.pieces.length).toBe(2 * 30);
  });

  it('reads only the two edge hours raw when the buckets count from the UTC day before from', () => {
    const origin = Math.floor(from / DAY) * DAY;
    const plan = planHours(from, to, DAY, origin);
    expect(covered(plan)).toBe(to - from);
    expect(plan.pieces).toEqual([
      { from, to: Math.ceil(from / HOUR_MS) * HOUR_MS, i: 0 },
      { from: Math.floor(to / HOUR_MS) * HOUR_MS, to, i: 30 },
    ]);
    // Bucket 0 is the partial first day: whole hours from 12:00 to midnight.
    expect(plan.hours[0]).toEqual({ from: Math.ceil(from / HOUR_MS), to: (origin + DAY) / HOUR_MS, i: 0 });
    expect(plan.hours.length).toBe(31);
  });
});

describe('wholeDays', () => {
  it('takes exactly the spans that are one UTC day, and leaves every other span', () => {
    const spans = [
      { from: 48, to: 72, i: 1 }, // day 2
      { from: 49, to: 73, i: 2 }, // 24 hours, not a UTC day
      { from: 72, to: 120, i: 3 }, // two days in one bucket: not one day
      { from: 120, to: 130, i: 4 },
      { from: 0, to: 24, i: 5 }, // day 0
    ];
    expect(wholeDays(spans)).toEqual({
      days: [
        { day: 2, i: 1 },
        { day: 0, i: 5 },
      ],
      rest: [spans[1], spans[2], spans[3]],
    });
  });
});
