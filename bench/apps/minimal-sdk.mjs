// The least an SDK doing Touchline's job can do per request, as a reference row for the benches (not a product).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import http from 'node:http';

/**
 * Request context (AsyncLocalStorage), a visitor cookie read or minted and set, one pageview per
 * request with URL, referrer, user agent and IP, JSON, and 100-item batches POSTed over a keep-alive
 * agent to the sink's `/minimal/batch` (counted there under other paths). No sessions, campaigns,
 * bot or consent checks, retries, queue bound or health counters.
 */
export function minimalSdk(sinkUrl, handler) {
  const storage = new AsyncLocalStorage();
  const agent = new http.Agent({ keepAlive: true });
  const inFlight = new Set();
  let batch = [];
  const send = () => {
    if (batch.length === 0) return;
    const payload = `{"items":[${batch.join(',')}]}`;
    batch = [];
    const done = new Promise((resolve) => {
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
      const req = http.request(`${sinkUrl}/minimal/batch`, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', resolve);
      req.end(payload);
    });
    inFlight.add(done);
    done.then(() => inFlight.delete(done));
  };
  const app = (req, res) => {
    const visitor = /(?:^|;\s*)tl_vid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? randomUUID();
    res.setHeader('set-cookie', `tl_vid=${visitor}; Max-Age=31536000; Path=/; HttpOnly; SameSite=Lax`);
    const context = {
      url: `http://${req.headers.host}${req.url}`,
      referrer: req.headers.referer ?? null,
      user_agent: req.headers['user-agent'] ?? null,
      ip: req.socket.remoteAddress ?? null,
    };
    const item = {
      type: 'pageview',
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      visitor_id: visitor,
      context,
    };
    batch.push(JSON.stringify(item));
    if (batch.length >= 100) send();
    return storage.run({ req, res }, handler, req, res);
  };
  return { app, flush: () => (send(), Promise.all(inFlight)), queued: () => batch.length };
}
