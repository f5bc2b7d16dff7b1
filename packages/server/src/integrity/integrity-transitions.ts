// integrityTransitions: which checks entered alert or recovered from it between two reports of one account (pure).
import type { CheckResult, CheckState, IntegrityReport } from './integrity-report.js';

export interface IntegrityTransition {
  kind: 'alert' | 'recovered';
  check: CheckResult;
  /** The check's state in the previous report; 'ok' when there was none (a first pass). */
  previousState: CheckState;
}

/**
 * A check "enters alert" when it is in alert now and was not before (or there was no previous
 * report), and "recovers" when it was in alert and no longer is. warn <-> ok moves are not
 * notified: the webhook is for alerts, and the latest report always shows the warnings.
 */
export function integrityTransitions(
  previous: IntegrityReport | undefined,
  current: IntegrityReport,
): IntegrityTransition[] {
  const before = new Map<string, CheckState>((previous?.checks ?? []).map((c) => [c.id, c.state]));
  const out: IntegrityTransition[] = [];
  for (const check of current.checks) {
    const previousState = before.get(check.id) ?? 'ok';
    if (check.state === 'alert' && previousState !== 'alert') out.push({ kind: 'alert', check, previousState });
    else if (check.state !== 'alert' && previousState === 'alert')
      out.push({ kind: 'recovered', check, previousState });
  }
  return out;
}
