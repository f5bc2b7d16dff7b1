// visitor-sets: gap and day deltas accumulated over any sequence of session moves give exact distinct visitors (whole-hour ranges, UTC days).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { visitorDayDeltas, visitorGapDeltas, type MembershipDelta, type VisitorHourRow } from './visitor-sets.js';

const group = (visitorId: string): Omit<MembershipDelta, 'hour' | 'sessions'> => ({
  accountKey: 1,
  dim: 0,
  value: '',
  visitorId,
});

describe('visitorGapDeltas', () => {
  it('keeps SUM(visitors) over hour in [h1, h2) with prev < h1 equal to the distinct visitors with a session there', () => {
    // Each step adds or removes one session of a visitor in an hour; removals only of sessions that exist.
    const step = fc.record({
      visitor: fc.constantFrom('a', 'b', 'c'),
      hour: fc.integer({ min: 0, max: 12 }),
      add: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 13 }),
        (steps, x, y) => {
          const hours = new Map<string, number>(); // visitor/hour -> sessions
          const gaps = new Map<string, number>(); // hour/prev -> visitors
          for (const s of steps) {
            const key = `${s.visitor}/${s.hour}`;
            const n = hours.get(key) ?? 0;
            if (!s.add && n === 0) continue;
            const current: VisitorHourRow[] = [...hours.entries()]
              .filter(([k, v]) => k.startsWith(`${s.visitor}/`) && v > 0)
              .map(([k, v]) => ({ ...group(s.visitor), hour: Number(k.split('/')[1]), sessions: v }));
            for (const d of visitorGapDeltas(current, [
              { ...group(s.visitor), hour: s.hour, sessions: s.add ? 1 : -1 },
            ])) {
              gaps.set(`${d.hour}/${d.prevHour}`, (gaps.get(`${d.hour}/${d.prevHour}`) ?? 0) + d.visitors);
            }
            hours.set(key, n + (s.add ? 1 : -1));
          }
          const [h1, h2] = [Math.min(x, y), Math.max(x, y)];
          const summed = [...gaps.entries()].reduce((sum, [k, v]) => {
            const [hour, prev] = k.split('/').map(Number) as [number, number];
            return hour >= h1 && hour < h2 && prev < h1 ? sum + v : sum;
          }, 0);
          const distinct = new Set(
            [...hours.entries()]
              .filter(([k, v]) => v > 0 && Number(k.split('/')[1]) >= h1 && Number(k.split('/')[1]) < h2)
              .map(([k]) => k.split('/')[0]),
          ).size;
          expect(summed).toBe(distinct);
          expect([...gaps.values()].every((v) => v >= 0)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('moves a visitor between hours as a removal and an addition in one write', () => {
    const current: VisitorHourRow[] = [
      { ...group('a'), hour: 3, sessions: 1 },
      { ...group('a'), hour: 7, sessions: 1 },
    ];
    const deltas = visitorGapDeltas(current, [
      { ...group('a'), hour: 7, sessions: -1 },
      { ...group('a'), hour: 1, sessions: 1 },
    ]);
    // Before: (3, -1), (7, 3). After: (1, -1), (3, 1).
    expect(deltas.map((d) => [d.hour, d.prevHour, d.visitors])).toEqual([
      [1, -1, 1],
      [3, -1, -1],
      [3, 1, 1],
      [7, 3, -1],
    ]);
  });
});

describe('visitorDayDeltas', () => {
  it('keeps each UTC day equal to the distinct visitors with a session that day, and never negative', () => {
    const step = fc.record({
      visitor: fc.constantFrom('a', 'b', 'c'),
      hour: fc.integer({ min: 0, max: 24 * 4 - 1 }),
      add: fc.boolean(),
      dim: fc.constantFrom(0, 1),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const hours = new Map<string, number>(); // dim/visitor/hour -> sessions
        const days = new Map<number, number>(); // day -> visitors (dimension 0 only)
        for (const s of steps) {
          const key = `${s.dim}/${s.visitor}/${s.hour}`;
          const n = hours.get(key) ?? 0;
          if (!s.add && n === 0) continue;
          const current: VisitorHourRow[] = [...hours.entries()]
            .filter(([k, v]) => k.startsWith(`${s.dim}/${s.visitor}/`) && v > 0)
            .map(([k, v]) => ({ ...group(s.visitor), dim: s.dim, hour: Number(k.split('/')[2]), sessions: v }));
          for (const d of visitorDayDeltas(current, [
            { ...group(s.visitor), dim: s.dim, hour: s.hour, sessions: s.add ? 1 : -1 },
          ])) {
            days.set(d.day, (days.get(d.day) ?? 0) + d.visitors);
          }
          hours.set(key, n + (s.add ? 1 : -1));
        }
        for (let day = 0; day < 4; day++) {
          const distinct = new Set(
            [...hours.entries()]
              .filter(([k, v]) => v > 0 && k.startsWith('0/') && Math.floor(Number(k.split('/')[2]) / 24) === day)
              .map(([k]) => k.split('/')[1]),
          ).size;
          expect(days.get(day) ?? 0).toBe(distinct);
        }
        expect([...days.values()].every((v) => v >= 0)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
