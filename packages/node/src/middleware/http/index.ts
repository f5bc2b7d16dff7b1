// node:http adapter: wraps a plain (req, res) handler so Touchline runs inside every request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { BeaconAnswer } from '../../client/beacon-answer.js';
import type { TouchlineClient } from '../../client/create-client.js';
import { headerGetterFromRecord, type RequestInfo } from '../../client/request-info.js';

/** Builds the neutral RequestInfo for a node:http request/response pair. */
export function requestInfoFromNode(req: IncomingMessage, res: ServerResponse): RequestInfo {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    header: headerGetterFromRecord(req.headers),
    remoteAddress: req.socket.remoteAddress,
    encrypted: (req.socket as Partial<TLSSocket>).encrypted === true,
    appendSetCookie(cookies) {
      if (res.headersSent) return false;
      if (cookies.length === 0) return true;
      // setHeader when nothing was set yet: appendHeader re-reads and re-validates the header list.
      if (res.getHeader('set-cookie') === undefined)
        res.setHeader('set-cookie', cookies.length === 1 ? (cookies[0] as string) : [...cookies]);
      else res.appendHeader('set-cookie', [...cookies]);
      return true;
    },
  };
}

/** Sends Touchline's own answer (`scope.answer`: view beacon, beacon script); the cookies are already set. */
export function sendAnswer(res: ServerResponse, answer: BeaconAnswer): void {
  res.writeHead(answer.status, answer.headers).end(answer.body ?? undefined);
}

/**
 * With `serverless` settings and no `waitUntil`: the end of this response waits (bounded by
 * `flushTimeoutMs`) until the items queued so far are delivered, because the platform may freeze
 * the process as soon as the response is complete. Wraps this response's own `end` only; without
 * `serverless` it does nothing.
 */
export function holdEndUntilDelivered(client: TouchlineClient, res: ServerResponse): void {
  if (client.settings.serverless === undefined) return;
  const end = res.end;
  res.end = function endAfterDelivery(this: ServerResponse, ...args: unknown[]): ServerResponse {
    const delivered = client.deliverBeforeFreeze();
    if (delivered === null) return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    void delivered.then(() => (end as (...a: unknown[]) => ServerResponse).apply(this, args));
    return this;
  } as ServerResponse['end'];
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Wraps a node:http request handler.
 *
 * @example
 * const touchline = createClient({ apiKey });
 * http.createServer(withTouchline(touchline, (req, res) => {
 *   touchline.event('hello');
 *   res.end('ok');
 * })).listen(3000);
 */
export function withTouchline(client: TouchlineClient, handler: NodeHandler): NodeHandler {
  return (req, res) => {
    const info = requestInfoFromNode(req, res);
    const scope = client.handle(info);
    info.appendSetCookie(scope.identity.setCookies);
    // Before answering too: a view beacon's pageview must not wait for a process that may be frozen.
    holdEndUntilDelivered(client, res);
    if (scope.answer !== null) return sendAnswer(res, scope.answer);
    return client.run(scope, () => handler(req, res));
  };
}
