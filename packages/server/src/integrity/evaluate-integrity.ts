// evaluateIntegrity: runs every integrity check over one account's facts; pure, so the same facts always give the same report.
import { INTEGRITY_CHECKS, MIN_SAMPLE, type CheckFacts, type IntegrityCheck } from './integrity-checks.js';
import { classify, worstState, type CheckResult, type IntegrityReport } from './integrity-report.js';

export function evaluateCheck(check: IntegrityCheck, facts: CheckFacts): CheckResult {
  const { id, title, explanation, unit, window, thresholds } = check;
  const { value, note } = check.measure(facts);
  const base = { id, title, explanation, unit, window, thresholds, value };
  // Too little data judges nothing: a handful of sessions swings every percentage.
  if (check.sample(facts) < (check.minSample ?? MIN_SAMPLE)) return { ...base, state: 'ok', note: 'not enough data' };
  if (value === null) return { ...base, state: 'ok', note: note ?? 'no data' };
  return { ...base, state: classify(value, thresholds), note: note ?? null };
}

export function evaluateIntegrity(
  facts: CheckFacts,
  checks: readonly IntegrityCheck[] = INTEGRITY_CHECKS,
): IntegrityReport {
  const results = checks.map((check) => evaluateCheck(check, facts));
  return { state: worstState(results.map((r) => r.state)), checkedAt: facts.now, checks: results };
}
