// integrityTransitions: only entering and leaving alert are notified; a first report notifies its alerts.
import { describe, expect, it } from 'vitest';
import type { CheckResult, CheckState, IntegrityReport } from './integrity-report.js';
import { integrityTransitions } from './integrity-transitions.js';

const check = (id: string, state: CheckState): CheckResult => ({
  id,
  title: id,
  explanation: '',
  value: 1,
  unit: 'ratio',
  window: '24 h',
  thresholds: {},
  state,
  note: null,
});
const report = (states: Record<string, CheckState>): IntegrityReport => ({
  state: 'ok',
  checkedAt: 0,
  checks: Object.entries(states).map(([id, s]) => check(id, s)),
});
const kinds = (before: IntegrityReport | undefined, after: IntegrityReport) =>
  integrityTransitions(before, after).map((t) => `${t.check.id}:${t.kind}:${t.previousState}`);

describe('integrityTransitions', () => {
  it('a first report notifies each check in alert, from ok', () => {
    expect(kinds(undefined, report({ a: 'alert', b: 'warn', c: 'ok' }))).toEqual(['a:alert:ok']);
  });

  it('notifies entering alert (from ok or warn) and leaving it (to warn or ok), nothing else', () => {
    const before = report({ a: 'ok', b: 'warn', c: 'alert', d: 'alert', e: 'warn', f: 'alert' });
    const after = report({ a: 'alert', b: 'alert', c: 'warn', d: 'ok', e: 'ok', f: 'alert' });
    expect(kinds(before, after)).toEqual(['a:alert:ok', 'b:alert:warn', 'c:recovered:alert', 'd:recovered:alert']);
  });
});
