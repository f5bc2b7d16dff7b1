// Next.js adapter (middleware.ts on Next 15, proxy.ts on 16; Node and edge runtimes) and scope helpers for actions and route handlers.
import { answerAsResponse } from '../../client/beacon-answer.js';
import type { RequestScope } from '../../client/capture-scope.js';
import type { TouchlineClient } from '../../client/create-client.js';
import { headerGetterFromHeaders, type RequestInfo } from '../../client/request-info.js';
import { nextRequestKind, pageUrlOf } from './request-kind.js';

type NextHandler = (request: Request, scope: RequestScope) => Response | Promise<Response>;

/** What `NextResponse.next()` returns: Next.js continues to the route (a documented middleware result). */
function continueResponse(): Response {
  return new Response(null, { headers: { 'x-middleware-next': '1' } });
}

function withSetCookies(response: Response, cookies: readonly string[]): Response {
  if (cookies.length === 0) return response;
  try {
    for (const cookie of cookies) response.headers.append('set-cookie', cookie);
    return response;
  } catch {
    // Immutable headers (a fetch() or Response.redirect() result): copy.
    const headers = new Headers(response.headers);
    for (const cookie of cookies) headers.append('set-cookie', cookie);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

/** The part of Next.js's `NextFetchEvent` (middleware's second argument) the adapter uses. */
interface NextEventLike {
  waitUntil?(promise: Promise<unknown>): void;
}

/**
 * Next.js middleware: identity cookies on navigations only; a pageview for every document load;
 * nothing for router prefetches, server actions, `/_next/` files or static assets. Client-side
 * navigations are counted by the navigation beacon script it serves at `beaconScriptPath` (put
 * `<Script src="/_touchline/beacon.js" />` in the root layout); with `beaconScriptPath: false`,
 * by their RSC fetch instead, where Next.js lets middleware see `RSC: 1` (15.5 does not).
 * `handler` is your own middleware, called with the request's scope; by default the request
 * continues (`NextResponse.next()`). With `serverless` settings, delivery goes to `event.waitUntil`.
 *
 * @example
 * // proxy.ts on Next 16 (middleware.ts with `export const middleware` on Next 15)
 * const touchline = createClient({ apiKey: process.env.TOUCHLINE_KEY! });
 * export const proxy = touchlineNext(touchline);
 */
function touchlineNext(
  client: TouchlineClient,
  handler?: NextHandler,
): (request: Request, event?: NextEventLike) => Promise<Response> {
  const countRsc = client.settings.beaconScriptPath === false;
  return async function touchlineNextMiddleware(request, event) {
    const pending: string[] = [];
    let open = true;
    const url = new URL(pageUrlOf(request.url));
    const header = headerGetterFromHeaders(request.headers);
    const info: RequestInfo = {
      method: request.method,
      // The path only: Next.js builds request.url from its own hostname (`localhost` under
      // `next start`), so the page's host comes from the Host header (X-Forwarded-* with trustProxy).
      url: header('host') === undefined ? url.href : `${url.pathname}${url.search}`,
      header,
      remoteAddress: undefined,
      encrypted: url.protocol === 'https:',
      kind: nextRequestKind(request.method, url.pathname, header, countRsc),
      appendSetCookie(cookies) {
        if (!open) return false;
        pending.push(...cookies);
        return true;
      },
    };
    const scope = client.handle(info);
    pending.push(...scope.identity.setCookies);
    const deliver = async (): Promise<void> => {
      if (client.settings.serverless === undefined) return;
      await client.deliverBeforeFreeze(
        typeof event?.waitUntil === 'function' ? (p) => event.waitUntil?.(p) : undefined,
      );
    };
    if (scope.answer !== null) {
      await deliver();
      return answerAsResponse(scope.answer, pending);
    }
    try {
      const response =
        handler === undefined ? continueResponse() : await client.run(scope, () => handler(request, scope));
      await deliver();
      return withSetCookies(response, pending);
    } finally {
      open = false;
    }
  };
}

/** The parts of `await headers()` (next/headers) or a Request's headers that a scope needs. */
interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The scope of the request a server action or route handler is running for, from its cookies:
 * same visitor and session as the middleware computed for it. It records no pageview and writes
 * no cookies (the middleware did), so endSession() cannot work through it. `url` defaults to the
 * page the action was called from (Referer).
 *
 * @example
 * 'use server';
 * import { headers } from 'next/headers';
 * export async function buy() {
 *   const scope = touchlineScope(touchline, await headers());
 *   touchline.conversion('purchase', { revenue: 42, currency: 'EUR' }, { scope });
 * }
 */
function touchlineScope(client: TouchlineClient, headers: HeaderSource, url?: string): RequestScope {
  const header = (name: string): string | undefined => headers.get(name) ?? undefined;
  const target = url ?? header('referer') ?? '/';
  // kind 'api': reads the visitor from the cookies, never mints one, records no pageview.
  return client.handle({
    method: 'GET',
    url: target,
    header,
    remoteAddress: undefined,
    encrypted: target.startsWith('https:'),
    kind: 'api',
    appendSetCookie: () => false,
  });
}

/**
 * Runs `fn` inside the scope of the current action or route handler request, so current(),
 * event(), conversion() and identify() need no `{ scope }` (where AsyncLocalStorage exists: Node,
 * and Next.js edge).
 *
 * @example
 * export async function buy() {
 *   return withTouchline(touchline, await headers(), () => touchline.conversion('purchase', { revenue: 42 }));
 * }
 */
function withTouchline<T>(
  client: TouchlineClient,
  headers: HeaderSource,
  fn: (scope: RequestScope) => T,
  url?: string,
): T {
  const scope = touchlineScope(client, headers, url);
  return client.run(scope, () => fn(scope));
}

export { touchlineNext, touchlineScope, withTouchline, nextRequestKind, pageUrlOf };
export type { NextHandler, HeaderSource, NextEventLike };
