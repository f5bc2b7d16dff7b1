// Koa adapter: middleware that gives each request its identity cookies and Touchline context.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TouchlineClient } from '../../client/create-client.js';
import { holdEndUntilDelivered, requestInfoFromNode, sendAnswer } from '../http/index.js';

/** The part of Koa's context the adapter reads; structural so no Koa types are needed to build. */
interface KoaContextLike {
  req: IncomingMessage;
  res: ServerResponse;
  /** Koa keeps the URL as received here even when a mounted app rewrites `ctx.url`. */
  originalUrl: string;
}
type KoaMiddleware = (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<unknown>;

/**
 * Koa middleware. Register it first: downstream middleware and handlers run inside the request's
 * context, so `client.current()` and `client.event()` find their own request after any `await`.
 *
 * @example
 * const touchline = createClient({ apiKey: process.env.TOUCHLINE_KEY! });
 * const app = new Koa();
 * app.use(touchlineKoa(touchline));
 * app.use(async (ctx) => {
 *   touchline.event('viewed_pricing');
 *   ctx.body = 'ok';
 * });
 */
function touchlineKoa(client: TouchlineClient): KoaMiddleware {
  return async (ctx, next) => {
    const info = { ...requestInfoFromNode(ctx.req, ctx.res), url: ctx.originalUrl };
    const scope = client.handle(info);
    info.appendSetCookie(scope.identity.setCookies);
    // Koa sends nothing itself once the raw response has ended.
    // Koa ends the raw response itself after the middleware chain: hold that end (and a beacon's).
    holdEndUntilDelivered(client, ctx.res);
    if (scope.answer !== null) return sendAnswer(ctx.res, scope.answer);
    return client.run(scope, () => next());
  };
}

export { touchlineKoa };
export type { KoaContextLike, KoaMiddleware };
