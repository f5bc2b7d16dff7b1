// countFunnel: the counting rules (window from the entry, order by time then item id, entry channel, units) and a differential check against an exhaustive oracle.
import type { FunnelItem } from '@touchline/storage';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oracleFunnel } from '../test-support/funnel-oracle.js';
import { countFunnel, type FunnelCountSpec } from './count-funnel.js';

const H = 3_600_000;
const item = (id: string, goal: number, timestamp: number, over: Partial<FunnelItem> = {}): FunnelItem => ({
  goal,
  id,
  visitorId: 'v1',
  sessionId: 's1',
  timestamp,
  channel: 'email',
  ...over,
});
const spec = (over: Partial<FunnelCountSpec> = {}): FunnelCountSpec => ({
  steps: [0, 1, 2],
  windowMs: 24 * H,
  from: 0,
  to: 100 * H,
  unit: 'visitor',
  ...over,
});

describe('countFunnel', () => {
  it("counts a visitor at every step it reached in order, across sessions, under the entry session's channel", () => {
    const rows = [
      item('a', 0, 1 * H),
      item('b', 1, 2 * H, { sessionId: 's2', channel: 'direct' }),
      item('c', 2, 3 * H, { sessionId: 's3', channel: 'paid_search' }),
      item('d', 0, 5 * H, { visitorId: 'v2', channel: 'organic_search' }),
      item('e', 2, 6 * H, { visitorId: 'v2' }),
    ];
    expect(countFunnel(rows, spec())).toEqual({
      counts: [2, 1, 1],
      channels: [
        { channel: 'email', counts: [1, 1, 1] },
        { channel: 'organic_search', counts: [1, 0, 0] },
      ],
    });
  });

  it('measures the window from the entry; a later entry that completes in time wins over an earlier one that did not', () => {
    const rows = [
      item('a', 0, 0, { channel: 'email' }),
      item('b', 1, 30 * H),
      item('c', 0, 31 * H, { channel: 'referral' }),
      item('d', 1, 32 * H),
      item('e', 2, 40 * H),
    ];
    expect(countFunnel(rows, spec())).toEqual({
      counts: [1, 1, 1],
      channels: [{ channel: 'referral', counts: [1, 1, 1] }],
    });
    expect(countFunnel(rows.slice(0, 2), spec()).counts).toEqual([1, 0, 0]);
  });

  it('orders items of the same millisecond by item id, whatever order the rows come in', () => {
    const forward = [item('0193-a', 0, 5), item('0193-b', 1, 5)];
    expect(countFunnel(forward, spec({ steps: [0, 1] })).counts).toEqual([1, 1]);
    expect(countFunnel([...forward].reverse(), spec({ steps: [0, 1] })).counts).toEqual([1, 1]);
    const backward = [item('0193-b', 0, 5), item('0193-a', 1, 5)];
    expect(countFunnel(backward, spec({ steps: [0, 1] })).counts).toEqual([1, 0]);
  });

  it('lets one item count for one step only, even when it matches several goals', () => {
    const rows = [item('a', 0, 1), item('a', 1, 1)];
    expect(countFunnel(rows, spec({ steps: [0, 1] })).counts).toEqual([1, 0]);
    expect(countFunnel([...rows, item('b', 1, 2)], spec({ steps: [0, 1] })).counts).toEqual([1, 1]);
    // The same goal twice: two distinct items are needed.
    expect(countFunnel([item('a', 0, 1)], spec({ steps: [0, 0] })).counts).toEqual([1, 0]);
    expect(countFunnel([item('a', 0, 1), item('b', 0, 2)], spec({ steps: [0, 0] })).counts).toEqual([1, 1]);
  });

  it('counts entries in [from, to) only, and later steps up to the window even after to', () => {
    const rows = [
      item('a', 0, 9),
      item('b', 1, 15),
      item('c', 0, 10, { visitorId: 'v2' }),
      item('d', 1, 11, { visitorId: 'v2' }),
    ];
    expect(countFunnel(rows, spec({ steps: [0, 1], from: 10, to: 12 })).counts).toEqual([1, 1]);
    expect(countFunnel(rows, spec({ steps: [0, 1], from: 0, to: 10 })).counts).toEqual([1, 1]);
  });

  it('at session level, needs every step in one session and leaves items without a session out', () => {
    const rows = [
      item('a', 0, 1),
      item('b', 1, 2, { sessionId: 's2' }),
      item('c', 0, 3, { sessionId: null }),
      item('d', 1, 4, { sessionId: 's2' }),
    ];
    expect(countFunnel(rows, spec({ steps: [0, 1], unit: 'session' })).counts).toEqual([1, 0]);
    expect(countFunnel(rows, spec({ steps: [0, 1], unit: 'visitor' })).counts).toEqual([1, 1]);
  });

  it('equals an exhaustive search over every choice of items (fast-check)', () => {
    const row = fc.record({
      id: fc.integer({ min: 0, max: 30 }).map((n) => `i${String(n).padStart(2, '0')}`),
      goal: fc.integer({ min: 0, max: 2 }),
      visitor: fc.constantFrom('v1', 'v2', 'v3'),
      session: fc.constantFrom('s1', 's2', null),
      timestamp: fc.integer({ min: 0, max: 12 }),
      channel: fc.constantFrom('email', 'direct', null),
    });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 24 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom<'visitor' | 'session'>('visitor', 'session'),
        (raw, steps, windowMs, unit) => {
          // An item id belongs to one visitor, session, time and channel; its goals are the union of its rows.
          const first = new Map<string, (typeof raw)[number]>();
          for (const r of raw) if (!first.has(r.id)) first.set(r.id, r);
          const rows: FunnelItem[] = raw.map((r) => {
            const f = first.get(r.id) as (typeof raw)[number];
            return {
              goal: r.goal,
              id: r.id,
              visitorId: f.visitor,
              sessionId: f.session,
              timestamp: f.timestamp,
              channel: f.channel,
            };
          });
          const s: FunnelCountSpec = { steps, windowMs, from: 2, to: 10, unit };
          const goals = new Map<string, Set<number>>();
          for (const r of rows) goals.set(r.id, (goals.get(r.id) ?? new Set()).add(r.goal));
          const oracleItems = [...first.values()]
            .filter((f) => unit === 'visitor' || f.session !== null)
            .map((f) => ({
              id: f.id,
              unit: unit === 'visitor' ? f.visitor : `${f.visitor}/${f.session}`,
              timestamp: f.timestamp,
              channel: f.channel,
              goals: goals.get(f.id) as Set<number>,
            }));
          const expected = oracleFunnel(oracleItems, s);
          const actual = countFunnel(rows, s);
          expect(actual.counts).toEqual(expected.counts);
          expect(new Map(actual.channels.map((c) => [c.channel, c.counts]))).toEqual(expected.channels);
        },
      ),
      { numRuns: 300 },
    );
  });
});
