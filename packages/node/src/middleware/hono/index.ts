// Hono adapter: middleware that gives each request its identity cookies and Touchline context.
import type { Context, MiddlewareHandler } from 'hono';
import { answerAsResponse } from '../../client/beacon-answer.js';
import type { TouchlineClient } from '../../client/create-client.js';
import { headerGetterFromHeaders, type RequestInfo } from '../../client/request-info.js';

/** What @hono/node-server puts in `c.env`; other runtimes put something else or nothing. */
interface NodeServerBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * Appends after the handler because it may return a brand-new Response. Headers of a Response
 * from fetch() are immutable: then Hono's own setter rebuilds it around the same body.
 */
function appendSetCookies(c: Context, cookies: readonly string[]): void {
  if (cookies.length === 0) return;
  try {
    for (const cookie of cookies) c.res.headers.append('set-cookie', cookie);
  } catch {
    try {
      c.res = new Response(c.res.body, c.res);
      for (const cookie of cookies) c.res.headers.append('set-cookie', cookie);
    } catch {
      // A 101 upgrade or a consumed body cannot be rebuilt; the SDK never throws into the app.
    }
  }
}

/** `c.executionCtx.waitUntil` where the runtime has one; Hono's getter throws elsewhere (Node). */
function executionWaitUntil(c: Context): ((promise: Promise<unknown>) => void) | undefined {
  try {
    const ctx = c.executionCtx;
    return (promise) => ctx.waitUntil(promise);
  } catch {
    return undefined;
  }
}

function requestInfoFromHono(c: Context, pending: string[], isOpen: () => boolean): RequestInfo {
  const url = c.req.url;
  return {
    method: c.req.method,
    url,
    header: headerGetterFromHeaders(c.req.raw.headers),
    remoteAddress: (c.env as NodeServerBindings | undefined)?.incoming?.socket?.remoteAddress,
    encrypted: url.startsWith('https:'),
    appendSetCookie(cookies) {
      if (!isOpen()) return false;
      pending.push(...cookies);
      return true;
    },
  };
}

/**
 * Hono middleware. Handlers run inside the request's context, so `client.current()` and
 * `client.event()` find their own request after any `await`.
 *
 * @example
 * const touchline = createClient({ apiKey: process.env.TOUCHLINE_KEY! });
 * const app = new Hono();
 * app.use(touchlineHono(touchline));
 * app.get('/', (c) => {
 *   touchline.event('hello');
 *   return c.text('ok');
 * });
 */
function touchlineHono(client: TouchlineClient): MiddlewareHandler {
  return async (c, next) => {
    const pending: string[] = [];
    let open = true;
    const scope = client.handle(requestInfoFromHono(c, pending, () => open));
    pending.push(...scope.identity.setCookies);
    if (scope.answer !== null) {
      if (client.settings.serverless !== undefined) await client.deliverBeforeFreeze(executionWaitUntil(c));
      return answerAsResponse(scope.answer, pending);
    }
    try {
      await client.run(scope, () => next());
      // Serverless: the platform's per-request waitUntil (c.executionCtx on workers), or hold the response.
      if (client.settings.serverless !== undefined) await client.deliverBeforeFreeze(executionWaitUntil(c));
    } finally {
      // Includes cookies endSession() added during the handler; later calls must report failure.
      open = false;
      appendSetCookies(c, pending);
    }
  };
}

export { touchlineHono };
