// L1 reproduction: request state kept in one object shared by all requests, read after a slow await.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { cookieOf, pathOf, sendJson, slowStep, userOf } from './app-kit.js';
import { serveApp, type RunningApp } from './serve-app.js';

/** The Rack bug: `current = req` on a shared instance, so a slower request answers with a faster one's data. */
export function serveSharedStateApp(): Promise<RunningApp> {
  const shared: { current: http.IncomingMessage | null; newSid: string | null } = { current: null, newSid: null };
  return serveApp(async (req, res) => {
    shared.current = req;
    shared.newSid = cookieOf(req, 'sid') === undefined ? randomUUID() : null;
    await slowStep();
    const current = shared.current ?? req;
    const { newSid } = shared;
    sendJson(
      res,
      { user: userOf(current), path: pathOf(req) },
      newSid === null ? [] : [`sid=${newSid}; Path=/; HttpOnly`],
    );
  });
}

/** The fix: everything about the request stays in the handler's own locals. */
export function serveSharedStateAppFixed(): Promise<RunningApp> {
  return serveApp(async (req, res) => {
    const newSid = cookieOf(req, 'sid') === undefined ? randomUUID() : null;
    await slowStep();
    sendJson(res, { user: userOf(req), path: pathOf(req) }, newSid === null ? [] : [`sid=${newSid}; Path=/; HttpOnly`]);
  });
}
