// Express adapter: middleware that gives each request its identity cookies and Touchline context.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TouchlineClient } from '../../client/create-client.js';
import { holdEndUntilDelivered, requestInfoFromNode, sendAnswer } from '../http/index.js';

/**
 * Typed structurally against node:http (Express's req/res extend these), so the published
 * declarations do not depend on @types/express.
 */
type ExpressRequest = IncomingMessage & { originalUrl?: string };
type ExpressMiddleware = (req: ExpressRequest, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Express middleware. Register it before body parsers and routes so every handler, including
 * code after an `await`, sees its own request through `client.current()`.
 *
 * @example
 * const touchline = createClient({ apiKey: process.env.TOUCHLINE_KEY! });
 * const app = express();
 * app.use(touchlineExpress(touchline));
 * app.post('/buy', (req, res) => {
 *   touchline.conversion('purchase', { revenue: 42, currency: 'EUR' });
 *   res.sendStatus(204);
 * });
 */
function touchlineExpress(client: TouchlineClient): ExpressMiddleware {
  return (req, res, next) => {
    // A router mounted under a prefix strips it from req.url; the page URL must keep it.
    const info = { ...requestInfoFromNode(req, res), url: req.originalUrl ?? req.url ?? '/' };
    const scope = client.handle(info);
    info.appendSetCookie(scope.identity.setCookies);
    // Before answering too: a view beacon's pageview must not wait for a process that may be frozen.
    holdEndUntilDelivered(client, res);
    if (scope.answer !== null) {
      sendAnswer(res, scope.answer);
      return;
    }
    client.run(scope, () => next());
  };
}

export { touchlineExpress };
export type { ExpressMiddleware, ExpressRequest };
