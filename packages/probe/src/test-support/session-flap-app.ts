// L2 reproduction: a random session id minted whenever a request has none and re-sent on every response.
import { randomUUID } from 'node:crypto';
import { cookieOf, pathOf, sendJson, slowStep, userOf } from './app-kit.js';
import { serveApp, type RunningApp } from './serve-app.js';

const SESSION_SECONDS = 1800;

/**
 * The bug: a rolling session cookie that re-sends the id the request carried. A browser's first
 * requests race with an empty jar and get different ids, and a later request that still carried
 * the first id sets it back after the browser had moved on: the session flaps.
 */
export function serveSessionFlapApp(): Promise<RunningApp> {
  return serveApp(async (req, res) => {
    const sid = cookieOf(req, 'sid') ?? randomUUID();
    await slowStep();
    sendJson(res, { user: userOf(req), path: pathOf(req) }, [
      `sid=${sid}; Max-Age=${SESSION_SECONDS}; Path=/; HttpOnly`,
    ]);
  });
}

/**
 * The fix from DESIGN L2: split the id from its expiry. The id is written once, when minted, and
 * never re-sent; the rolling expiry lives in a separate cookie whose value never changes.
 */
export function serveSessionFlapAppFixed(): Promise<RunningApp> {
  return serveApp(async (req, res) => {
    const minted = cookieOf(req, 'sid') === undefined ? randomUUID() : null;
    await slowStep();
    const cookies = [`sid_active=1; Max-Age=${SESSION_SECONDS}; Path=/; HttpOnly`];
    if (minted !== null) cookies.unshift(`sid=${minted}; Path=/; HttpOnly`);
    sendJson(res, { user: userOf(req), path: pathOf(req) }, cookies);
  });
}
