// evaluateIntegrity on hand-made facts: thresholds, "any" bounds, two-sided bands, the not-enough-data rule and the worst state.
import { describe, expect, it } from 'vitest';
import type { IntegrityFacts } from '@touchline/storage';
import { evaluateIntegrity } from './evaluate-integrity.js';
import { classify, describeThresholds } from './integrity-report.js';

const NOW = 1_000_000_000_000;
const HOUR = 3_600_000;

/** Healthy facts: 1000 sessions of 800 visitors a week, steady rates, nothing suspicious. */
function facts(over: Partial<IntegrityFacts> = {}): IntegrityFacts {
  return {
    now: NOW,
    day: { sessions: 150, visitors: 140, newVisitorSessions: 100, newVisitors: 95 },
    week: { sessions: 1000, visitors: 800, newVisitorSessions: 900, newVisitors: 760 },
    emptySessionsDay: 3,
    selfReferralsWeek: 20,
    extremeVisitorsDay: { count: 0, top: [] },
    heavyVisitorsMonth: { count: 0, visitors: 2000 },
    convertersWeek: { converters: 40, sessions: 70 },
    flappingDay: { pairs: 0, visitors: 0 },
    sessionRate: { lastHour: 6, baselineSessions: 1000, baselineFrom: NOW - HOUR - 168 * HOUR, baselineTo: NOW - HOUR },
    eventVolume: { last24h: 900, previous24h: 1000 },
    sharedLogins: { users: 300, largest: 4, overShared: 0 },
    ...over,
  };
}

const stateOf = (f: IntegrityFacts, id: string) => evaluateIntegrity(f).checks.find((c) => c.id === id);

describe('evaluateIntegrity', () => {
  it('is ok everywhere for healthy facts', () => {
    const report = evaluateIntegrity(facts());
    expect(report.state).toBe('ok');
    expect(report.checkedAt).toBe(NOW);
    expect(report.checks.map((c) => [c.id, c.state])).toEqual(report.checks.map((c) => [c.id, 'ok']));
  });

  it.each([
    [
      'session-inflation',
      { week: { sessions: 2000, visitors: 1000, newVisitorSessions: 0, newVisitors: 0 } },
      2,
      'warn',
    ],
    [
      'session-inflation',
      { week: { sessions: 5000, visitors: 1000, newVisitorSessions: 0, newVisitors: 0 } },
      5,
      'alert',
    ],
    [
      'extreme-visitors',
      { extremeVisitorsDay: { count: 1, top: [{ visitorId: 'v', sessions: 400 }] } },
      100 / 140,
      'warn',
    ],
    ['extreme-visitors', { extremeVisitorsDay: { count: 7, top: [] } }, 5, 'alert'],
    ['heavy-visitors', { heavyVisitorsMonth: { count: 20, visitors: 2000 } }, 1, 'warn'],
    ['heavy-visitors', { heavyVisitorsMonth: { count: 100, visitors: 2000 } }, 5, 'alert'],
    ['flapping', { flappingDay: { pairs: 1, visitors: 1 } }, 100 / 150, 'warn'],
    ['flapping', { flappingDay: { pairs: 2, visitors: 1 } }, 200 / 150, 'alert'],
    ['ghost-sessions', { emptySessionsDay: 30 }, 20, 'warn'],
    ['ghost-sessions', { emptySessionsDay: 75 }, 50, 'alert'],
    ['self-referral', { selfReferralsWeek: 150 }, 15, 'warn'],
    ['self-referral', { selfReferralsWeek: 400 }, 40, 'alert'],
    ['sessions-per-converter', { convertersWeek: { converters: 10, sessions: 50 } }, 5, 'warn'],
    ['sessions-per-converter', { convertersWeek: { converters: 10, sessions: 150 } }, 15, 'alert'],
    ['event-volume', { eventVolume: { last24h: 700, previous24h: 1000 } }, -30, 'warn'],
    ['event-volume', { eventVolume: { last24h: 400, previous24h: 1000 } }, -60, 'alert'],
    ['event-volume', { eventVolume: { last24h: 3000, previous24h: 1000 } }, 200, 'warn'],
    ['event-volume', { eventVolume: { last24h: 6000, previous24h: 1000 } }, 500, 'alert'],
    ['shared-logins', { sharedLogins: { users: 300, largest: 100, overShared: 0 } }, 100, 'ok'],
    ['shared-logins', { sharedLogins: { users: 300, largest: 101, overShared: 1 } }, 101, 'warn'],
    ['shared-logins', { sharedLogins: { users: 300, largest: 1001, overShared: 2 } }, 1001, 'alert'],
    // One user id is enough data: a single shared login is the whole problem.
    ['shared-logins', { sharedLogins: { users: 1, largest: 6390, overShared: 1 } }, 6390, 'alert'],
  ] as const)('%s at %j is %s', (id, over, value, state) => {
    const check = stateOf(facts(over as Partial<IntegrityFacts>), id);
    expect(check?.value).toBeCloseTo(value, 9);
    expect(check?.state).toBe(state);
  });

  it('compares the last hour with the hourly average of the span the baseline actually covers', () => {
    // 240 sessions over the 24 h before the last hour: 10/h; 30 in the last hour is 3x.
    const young = { lastHour: 30, baselineSessions: 240, baselineFrom: NOW - 25 * HOUR, baselineTo: NOW - HOUR };
    expect(stateOf(facts({ sessionRate: young }), 'session-rate')).toMatchObject({ value: 3, state: 'warn' });
    expect(stateOf(facts({ sessionRate: { ...young, lastHour: 100 } }), 'session-rate')).toMatchObject({
      value: 10,
      state: 'alert',
    });
  });

  it('judges nothing on too little data: ok with a "not enough data" note, but still shows the value', () => {
    const small = facts({
      day: { sessions: 10, visitors: 1, newVisitorSessions: 10, newVisitors: 1 },
      week: { sessions: 10, visitors: 1, newVisitorSessions: 10, newVisitors: 1 },
      flappingDay: { pairs: 5, visitors: 1 },
    });
    const report = evaluateIntegrity(small);
    expect(stateOf(small, 'session-inflation')).toMatchObject({ value: 10, state: 'ok', note: 'not enough data' });
    expect(stateOf(small, 'flapping')).toMatchObject({ state: 'ok', note: 'not enough data' });
    expect(report.state).toBe('ok');
  });

  it('is ok with a note when the value cannot be computed', () => {
    expect(stateOf(facts({ convertersWeek: { converters: 0, sessions: 0 } }), 'sessions-per-converter')).toMatchObject({
      value: null,
      state: 'ok',
      note: 'no conversions in the window',
    });
  });

  it('reports the worst state overall', () => {
    expect(evaluateIntegrity(facts({ emptySessionsDay: 30 })).state).toBe('warn');
    expect(evaluateIntegrity(facts({ emptySessionsDay: 30, flappingDay: { pairs: 9, visitors: 3 } })).state).toBe(
      'alert',
    );
  });
});

describe('classify and describeThresholds', () => {
  it('treats a warn bound of 0 as "any" and reaching any other bound as crossing it', () => {
    expect(classify(0, { above: { warn: 0, alert: 1 } })).toBe('ok');
    expect(classify(0.01, { above: { warn: 0, alert: 1 } })).toBe('warn');
    expect(classify(1, { above: { warn: 0, alert: 1 } })).toBe('alert');
    expect(classify(-29, { below: { warn: -30, alert: -60 } })).toBe('ok');
    expect(describeThresholds({ above: { warn: 0, alert: 1 } })).toBe('warn > 0 (any), alert ≥ 1');
    expect(describeThresholds({ above: { warn: 200, alert: 500 }, below: { warn: -30, alert: -60 } })).toBe(
      'warn ≥ 200, alert ≥ 500; warn ≤ -30, alert ≤ -60',
    );
  });
});
