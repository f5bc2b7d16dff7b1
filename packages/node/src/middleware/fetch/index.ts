// Web-standard adapter: wraps a (Request) => Response handler for Deno, Bun, workers, edge runtimes and similar servers.
import { answerAsResponse, platformWaitUntil } from '../../client/beacon-answer.js';
import type { RequestScope } from '../../client/capture-scope.js';
import type { TouchlineClient } from '../../client/create-client.js';
import { headerGetterFromHeaders, type RequestInfo } from '../../client/request-info.js';

/**
 * `scope` is the request's Touchline scope, for runtimes without AsyncLocalStorage: pass it as
 * `{ scope }` to event()/conversion()/identify(). Where AsyncLocalStorage exists, current() has it too.
 */
type FetchHandler = (request: Request, scope: RequestScope) => Response | Promise<Response>;

/**
 * The cookies go on a copy: a Response may have immutable headers (from fetch() or
 * Response.redirect()). Statuses a Response cannot be built with (101 upgrades) and bodies
 * already read keep the original response, without the cookies, rather than throwing.
 */
function withSetCookies(response: Response, cookies: readonly string[]): Response {
  if (cookies.length === 0) return response;
  const headers = new Headers(response.headers);
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  try {
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  } catch {
    return response;
  }
}

/** Builds the neutral RequestInfo; cookies are collected per request and attached to the response. */
function requestInfoFromFetch(request: Request, pending: string[], isOpen: () => boolean): RequestInfo {
  return {
    method: request.method,
    url: request.url,
    header: headerGetterFromHeaders(request.headers),
    // The Request API carries no peer address; the page URL is absolute, so TLS is read from it.
    remoteAddress: undefined,
    encrypted: request.url.startsWith('https:'),
    appendSetCookie(cookies) {
      if (!isOpen()) return false;
      pending.push(...cookies);
      return true;
    },
  };
}

/**
 * Wraps a Web-standard fetch handler; the handler runs inside its request's Touchline context.
 * Arguments after the request are the platform's (a worker's `env` and `ctx`): with `serverless`
 * settings, the first one with a `waitUntil` gets the delivery of the request's items.
 *
 * @example
 * const touchline = createClient({ apiKey: process.env.TOUCHLINE_KEY! });
 * Deno.serve(withTouchlineFetch(touchline, async (request) => {
 *   touchline.event('hello');
 *   return new Response('ok');
 * }));
 */
function withTouchlineFetch(
  client: TouchlineClient,
  handler: FetchHandler,
): (request: Request, ...platform: unknown[]) => Promise<Response> {
  return async function touchlineFetchHandler(request, ...platform) {
    const pending: string[] = [];
    let open = true;
    const info = requestInfoFromFetch(request, pending, () => open);
    const scope = client.handle(info);
    pending.push(...scope.identity.setCookies);
    if (scope.answer !== null) {
      if (client.settings.serverless !== undefined) await client.deliverBeforeFreeze(platformWaitUntil(platform));
      return answerAsResponse(scope.answer, pending);
    }
    try {
      const response = await client.run(scope, () => handler(request, scope));
      // Serverless: hand the delivery to the platform's waitUntil (a worker's ctx), or hold the response for it.
      if (client.settings.serverless !== undefined) await client.deliverBeforeFreeze(platformWaitUntil(platform));
      return withSetCookies(response, pending);
    } finally {
      // After the response is built, endSession() from leftover work must report failure.
      open = false;
    }
  };
}

export { withTouchlineFetch };
export type { FetchHandler };
