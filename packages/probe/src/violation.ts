// What the probe reports: one value per response, cookie or session that belongs to someone else.

/**
 * - `crossed-response`: a response (body or header) carries another browser's marker (L1, L3, L4).
 * - `foreign-cookie`: a Set-Cookie gives this browser another browser's marker or a cookie value
 *   another browser was given first (L1).
 * - `session-flap`: a cookie went back to a value this browser had already moved away from (L2).
 * - `shape-mismatch`: a response does not look like the endpoint asked for (L4).
 * - `script-expectation`: a script step's `expect` returned a complaint.
 */
export type ViolationKind =
  | 'crossed-response'
  | 'foreign-cookie'
  | 'session-flap'
  | 'shape-mismatch'
  | 'script-expectation';

export const VIOLATION_KINDS: readonly ViolationKind[] = [
  'crossed-response',
  'foreign-cookie',
  'session-flap',
  'shape-mismatch',
  'script-expectation',
];

/** The request a violation was seen on. `seq` is the probe-wide send order, from 1. */
export interface RequestRef {
  method: string;
  path: string;
  seq: number;
}

export interface Violation {
  kind: ViolationKind;
  /** The browser's marker. */
  user: string;
  request: RequestRef;
  expected: string;
  received: string;
}

export function violation(
  kind: ViolationKind,
  user: string,
  request: RequestRef,
  expected: string,
  received: string,
): Violation {
  return { kind, user, request, expected, received };
}
