// An injected fetch for unit tests that need no socket: records each call and answers by script.

export interface FakeCall {
  n: number;
  url: string;
  headers: Record<string, string>;
  body: { batch_id: string; sent_at: string; sdk: unknown; items: { id: string }[] };
  signal: AbortSignal | undefined;
}

export type FakeAnswer = (call: FakeCall) => Response | Promise<Response>;

export interface FakeFetch {
  fetch: typeof fetch;
  calls: FakeCall[];
  /** Requests not yet answered, and the most ever open at once. */
  readonly open: number;
  readonly maxOpen: number;
  setAnswer(answer: FakeAnswer): void;
}

/** The collector's happy answer to a call: every item accepted, the batch id echoed. */
export function ackFor(call: FakeCall, status = 202): Response {
  return Response.json(
    { batch_id: call.body.batch_id, accepted: call.body.items.length, duplicates: 0, errors: [] },
    { status },
  );
}

/** A promise that never settles unless the request is aborted, as fetch does. */
export const hang = (): Promise<Response> => new Promise<Response>(() => undefined);

export function createFakeFetch(answer: FakeAnswer = ackFor): FakeFetch {
  let current = answer;
  let open = 0;
  let maxOpen = 0;
  const calls: FakeCall[] = [];

  const fake = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const call: FakeCall = {
      n: calls.length + 1,
      url: String(input),
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: JSON.parse(String(init.body)) as FakeCall['body'],
      signal: init.signal ?? undefined,
    };
    calls.push(call);
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    try {
      const aborted = new Promise<never>((_, reject) => {
        const signal = call.signal;
        if (signal === undefined) return;
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      return await Promise.race([Promise.resolve(current(call)), aborted]);
    } finally {
      open -= 1;
    }
  };

  return {
    fetch: fake as typeof fetch,
    calls,
    get open() {
      return open;
    },
    get maxOpen() {
      return maxOpen;
    },
    setAnswer(next) {
      current = next;
    },
  };
}
