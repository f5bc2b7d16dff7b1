// Test-only, DELIBERATELY BROKEN node:http adapters with the DESIGN L1 bug, to prove the race test catches it.
import type { RequestListener } from 'node:http';
import type { RequestScope } from '../../client/capture-scope.js';
import type { TouchlineClient } from '../../client/create-client.js';
import { requestInfoFromNode } from '../http/index.js';
import { bodyBrowserFrom, markerFrom, raceWork, readJsonBody, sendJson } from './race-app.js';

/**
 * BROKEN ON PURPOSE. The scope lives in a field shared by every request of this adapter instance
 * (like `@session_id` on the Rack middleware); the handler reads it back after its await, by
 * which time other requests have overwritten it. Cookies are right; context and events are not.
 */
export function brokenContextAdapter(client: TouchlineClient): RequestListener {
  let current: RequestScope | undefined;
  return (req, res) => {
    const info = requestInfoFromNode(req, res);
    current = client.handle(info);
    info.appendSetCookie(current.identity.setCookies);
    void readJsonBody(req)
      .then((parsed) =>
        raceWork(
          client,
          markerFrom((n) => req.headers[n]),
          bodyBrowserFrom(parsed),
          (fn) => client.run(current as RequestScope, fn),
        ),
      )
      .then((body) => sendJson(res, body));
  };
}

/**
 * BROKEN ON PURPOSE. The handler runs in its own context, but the identity cookies are written
 * after it, from the shared field: the exact Rack failure (cookies sent with another request's ids).
 */
export function brokenCookieAdapter(client: TouchlineClient): RequestListener {
  let current: RequestScope | undefined;
  return (req, res) => {
    const info = requestInfoFromNode(req, res);
    const scope = client.handle(info);
    current = scope;
    void readJsonBody(req)
      .then((parsed) =>
        client.run(scope, () =>
          raceWork(
            client,
            markerFrom((n) => req.headers[n]),
            bodyBrowserFrom(parsed),
          ),
        ),
      )
      .then((body) => {
        info.appendSetCookie((current as RequestScope).identity.setCookies);
        sendJson(res, body);
      });
  };
}
