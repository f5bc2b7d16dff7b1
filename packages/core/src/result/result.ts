// The one result type for fallible steps: an expected failure is a value the caller must look at, not a throw.

/** The step succeeded with `value`. */
export interface Ok<T> {
  readonly kind: 'ok';
  readonly value: T;
}

/** The step failed in an expected way (bad input, a refusal); `error` says what and where. */
export interface Err<E> {
  readonly kind: 'err';
  readonly error: E;
}

/**
 * What a fallible step returns: `ok(value)` or `err(error)`, told apart by `kind`. The error is a
 * message by default; steps with several ways to fail give it a union of their own. Outcomes with
 * more than two branches (retry / drop / split) stay their own `{ kind }` unions; exceptions are for
 * broken contracts and infrastructure (TouchlineError and its subclasses).
 */
export type Result<T, E = string> = Ok<T> | Err<E>;

export function ok<T>(value: T): Ok<T> {
  return { kind: 'ok', value };
}

export function err<E>(error: E): Err<E> {
  return { kind: 'err', error };
}
