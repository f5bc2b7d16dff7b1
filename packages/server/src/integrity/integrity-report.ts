// The integrity monitor's result values: one result per check and the report that gathers them.

export type CheckState = 'ok' | 'warn' | 'alert';

/**
 * A value range that triggers a state. Reaching a bound triggers it (value >= bound for `above`,
 * value <= bound for `below`), except a warn bound of 0 in `above`, which means "any": it
 * triggers only when the value exceeds 0.
 */
export interface Band {
  warn: number;
  alert: number;
}
export interface Thresholds {
  above?: Band;
  below?: Band;
}

export interface CheckResult {
  id: string;
  title: string;
  /** What the check measures, what a high value means, and what usually causes it. */
  explanation: string;
  /** The measured value (in `unit`); null when it cannot be computed (no data). */
  value: number | null;
  unit: '%' | 'ratio' | 'count';
  window: string;
  thresholds: Thresholds;
  state: CheckState;
  /** Why the state is what it is when the value alone does not say (e.g. "not enough data"), and supporting detail. */
  note: string | null;
}

export interface IntegrityReport {
  /** The worst state of any check. */
  state: CheckState;
  checkedAt: number;
  checks: CheckResult[];
}

const RANK: Record<CheckState, number> = { ok: 0, warn: 1, alert: 2 };

export function worstState(states: readonly CheckState[]): CheckState {
  return states.reduce<CheckState>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 'ok');
}

/** The state a value falls in under the thresholds. */
export function classify(value: number, t: Thresholds): CheckState {
  const states: CheckState[] = [];
  if (t.above !== undefined) {
    const { warn, alert } = t.above;
    states.push(value >= alert ? 'alert' : (warn === 0 ? value > 0 : value >= warn) ? 'warn' : 'ok');
  }
  if (t.below !== undefined) {
    const { warn, alert } = t.below;
    states.push(value <= alert ? 'alert' : value <= warn ? 'warn' : 'ok');
  }
  return worstState(states);
}

/** "warn ≥ 20, alert ≥ 50" style text for people. */
export function describeThresholds(t: Thresholds): string {
  const parts: string[] = [];
  if (t.above !== undefined)
    parts.push(`warn ${t.above.warn === 0 ? '> 0 (any)' : `≥ ${t.above.warn}`}, alert ≥ ${t.above.alert}`);
  if (t.below !== undefined) parts.push(`warn ≤ ${t.below.warn}, alert ≤ ${t.below.alert}`);
  return parts.join('; ');
}
