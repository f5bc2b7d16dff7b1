// node:http adapter: wraps a plain (req, res) handler so Touchline runs inside every request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
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
      if (res.getHeader('set-cookie') === undefined) res.setHeader('set-cookie', cookies.length === 1 ? cookies[0] as string : [...cookies]);
      else res.appendHeader('set-cookie', [...cookies]);
      return true;
    },
  };
}

/** Answers a view beacon (`scope.beacon`): 204, never cached, with the cookies already set. */
export function endViewBeacon(res: ServerResponse): void {
  res.writeHead(204, { 'cache-control': 'no-store' }).end();
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
    if (scope.beacon) return endViewBeacon(res);
    return client.run(scope, () => handler(req, res));
  };
}
