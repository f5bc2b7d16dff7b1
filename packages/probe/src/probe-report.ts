// The result of a probe run: kept violations plus counts, as one plain JSON-serialisable value.
import { VIOLATION_KINDS, type Violation, type ViolationKind } from './violation.js';

export interface ProbeSummary {
  target: string;
  users: number;
  /** Requests sent. */
  requests: number;
  /** Requests that got no response (refused, reset, timed out). Not violations. */
  errors: number;
  /** Every violation seen, including those beyond `maxViolations`. */
  violations: number;
  byKind: Record<ViolationKind, number>;
  durationMs: number;
  /** `deadline` when maxDurationMs stopped the run before its request budget was used. */
  stopped: 'complete' | 'deadline';
}

export interface ProbeReport {
  /** The first `maxViolations` violations, in the order they were seen. */
  violations: Violation[];
  summary: ProbeSummary;
  /** The first few transport errors, to explain a non-zero `errors`. */
  sampleErrors: string[];
}

/** Collects a run's outcome; state lives in the returned object. */
export function createReportBuilder(target: string, users: number, maxViolations: number) {
  const violations: Violation[] = [];
  const byKind = Object.fromEntries(VIOLATION_KINDS.map((k) => [k, 0])) as Record<ViolationKind, number>;
  const sampleErrors: string[] = [];
  const counts = { requests: 0, errors: 0, violations: 0 };
  return {
    sent(): number {
      counts.requests += 1;
      return counts.requests;
    },
    sentCount: (): number => counts.requests,
    add(found: readonly Violation[]): void {
      for (const v of found) {
        counts.violations += 1;
        byKind[v.kind] += 1;
        if (violations.length < maxViolations) violations.push(v);
      }
    },
    error(message: string): void {
      counts.errors += 1;
      if (sampleErrors.length < 5) sampleErrors.push(message);
    },
    build(durationMs: number, stopped: ProbeSummary['stopped']): ProbeReport {
      return {
        violations: [...violations],
        summary: { target, users, ...counts, byKind: { ...byKind }, durationMs, stopped },
        sampleErrors: [...sampleErrors],
      };
    },
  };
}
