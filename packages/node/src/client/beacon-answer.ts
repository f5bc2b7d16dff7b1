// What an adapter sends back itself, without calling the app, for a request that is Touchline's own (the view beacon, the navigation beacon script).

/** A complete response; the identity cookies of the request are added by the adapter as usual. */
export interface BeaconAnswer {
  readonly status: 200 | 204;
  readonly headers: Readonly<Record<string, string>>;
  /** Null for 204 and for HEAD requests. */
  readonly body: string | null;
}

/** The view beacon's answer: nothing to show, never cached (each one is a view). */
export const VIEW_BEACON_ANSWER: BeaconAnswer = Object.freeze({
  status: 204,
  headers: Object.freeze({ 'cache-control': 'no-store' }),
  body: null,
});

/**
 * The navigation beacon script as a response. Cached for an hour: it changes only when the
 * client's settings do, and a stale copy still reports to the same path.
 */
export function scriptAnswer(source: string, head: boolean): BeaconAnswer {
  return Object.freeze({
    status: 200,
    headers: Object.freeze({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
      'content-length': String(new TextEncoder().encode(source).length),
    }),
    body: head ? null : source,
  });
}

/** The answer as a Web-standard Response, with the request's identity cookies. */
export function answerAsResponse(answer: BeaconAnswer, cookies: readonly string[]): Response {
  const headers = new Headers(answer.headers);
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(answer.body, { status: answer.status, headers });
}

/** What platforms pass beside the Request: Next.js middleware's `event`, a worker's `ctx`. */
interface WaitUntilHolder {
  waitUntil(promise: Promise<unknown>): void;
}

/** The first per-request `waitUntil` among a fetch handler's extra arguments, bound to its owner. */
export function platformWaitUntil(args: readonly unknown[]): ((promise: Promise<unknown>) => void) | undefined {
  for (const arg of args) {
    if (typeof (arg as Partial<WaitUntilHolder> | null)?.waitUntil === 'function') {
      const holder = arg as WaitUntilHolder;
      return (promise) => holder.waitUntil(promise);
    }
  }
  return undefined;
}
