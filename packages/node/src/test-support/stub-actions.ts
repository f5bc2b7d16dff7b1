// What the stub collector does with one request: the script's vocabulary, built by small constructors.

/** One request as the stub saw it, handed to the script before it answers. */
export interface StubRequest {
  /** 1-based arrival order. */
  n: number;
  batchId: string;
  itemIds: string[];
  /** Body bytes. */
  bytes: number;
  authorization: string | undefined;
  /** Requests open when this one arrived, itself included. */
  concurrency: number;
  receivedAt: number;
}

export type StubAction =
  /** Behave like the collector: store (deduped), answer 202/207 echoing the batch id, after `delayMs`. */
  | { kind: 'accept'; delayMs: number }
  /** Answer `status` without storing anything; `body` defaults to a JSON error naming the batch. */
  | { kind: 'fail'; status: number; headers: Record<string, string>; body: unknown; delayMs: number }
  /** Store, then answer with the body meant for another request (a concurrent one if it comes within `pairWithinMs`). */
  | { kind: 'swap'; pairWithinMs: number }
  /** Destroy the connection without an answer; with `store`, after storing (the ack is lost). */
  | { kind: 'reset'; store: boolean };

export const accept = (delayMs = 0): StubAction => ({ kind: 'accept', delayMs });

export const fail = (
  status: number,
  options: { headers?: Record<string, string>; body?: unknown; delayMs?: number } = {},
): StubAction => ({
  kind: 'fail',
  status,
  headers: options.headers ?? {},
  body: options.body,
  delayMs: options.delayMs ?? 0,
});

export const swap = (pairWithinMs = 30): StubAction => ({ kind: 'swap', pairWithinMs });

export const reset = (options: { store?: boolean } = {}): StubAction => ({
  kind: 'reset',
  store: options.store ?? false,
});

export type StubScript = (request: StubRequest) => StubAction | Promise<StubAction>;
