// L4 reproduction: a server that sometimes writes a response on another request's connection.
import type http from 'node:http';
import { pathOf, sendJson, slowStep, userOf } from './app-kit.js';
import { serveApp, type RunningApp } from './serve-app.js';

/** How many recent responses the buggy app keeps around, and how often it picks the wrong one. */
const KEEP = 8;
const WRONG_RATE = 0.1;

/** Two endpoints with different shapes, each echoing its path, so a crossed answer can also show as the wrong shape. */
function answer(req: http.IncomingMessage, res: http.ServerResponse, to: http.ServerResponse = res): void {
  const path = pathOf(req);
  const body = path === '/cart' ? { user: userOf(req), items: [] } : { user: userOf(req), path };
  sendJson(to, body, [], { 'x-probe-path': path });
}

/** The bug: a pool of recent `res` objects and an off-by-one style pick, now and then. */
export function serveWrongConnectionApp(): Promise<RunningApp> {
  const recent: http.ServerResponse[] = [];
  return serveApp(async (req, res) => {
    recent.push(res);
    if (recent.length > KEEP) recent.shift();
    await slowStep();
    const others = recent.filter((r) => r !== res && !r.writableEnded);
    const target = Math.random() < WRONG_RATE && others.length > 0 ? (others[0] ?? res) : res;
    answer(req, res, target);
    // The request whose connection was taken is still answered, late, by its own handler's data.
    answer(req, res);
  });
}

/** The fix: each handler writes only to its own `res`. */
export function serveWrongConnectionAppFixed(): Promise<RunningApp> {
  return serveApp(async (req, res) => {
    await slowStep();
    answer(req, res);
  });
}
