// The fast path for single-item ingest (POST /api/v1/events, /conversions, /identify) on the node:http server, ahead of fastify.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptSingleItem, SINGLE_ITEM_ROUTES, type AcceptDeps, type IngestAnswer, type SingleItemRoute } from '../ingest/accept-items.js';
import { mayHoldNul } from '../ingest/find-nul.js';
import { parseJsonBody } from '../ingest/parse-batch-body.js';
import { bearerSecret } from './auth/bearer-secret.js';
import type { KeyCache } from './auth/key-cache.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import { errorBody } from './reply-error.js';
import { isStorageBusy, STORAGE_BUSY_MESSAGE, STORAGE_BUSY_RETRY_AFTER_SECONDS } from './storage-busy.js';

export interface FastIngestDeps extends AcceptDeps {
  keys: KeyCache;
  /** The same limiter (and buckets) as the fastify hook; null when rate limiting is off. */
  limiter: RateLimiter | null;
  /** True once the collector is closing (fastify then answers 503). */
  isClosing(): boolean;
  onError(error: Error): void;
}

/** Answers the request and returns true, or returns false without touching it so fastify answers. */
export type FastIngestPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The JSON media type, alone or with a UTF-8 charset: anything else goes to fastify's content-type handling. */
const JSON_TYPE = /^application\/json(?:\s*;\s*charset="?utf-8"?)?$/i;
const DIGITS = /^\d{1,9}$/;

/** The route, when fastify would reach its handler for this request (from the headers alone); else null. */
function claimable(req: IncomingMessage, deps: FastIngestDeps): SingleItemRoute | null {
  const { url, headers } = req;
  if (req.method !== 'POST' || url === undefined || !Object.hasOwn(SINGLE_ITEM_ROUTES, url) || deps.isClosing()) return null;
  const type = headers['content-type'];
  const length = headers['content-length'];
  if (type === undefined || !JSON_TYPE.test(type) || length === undefined || !DIGITS.test(length)) return null;
  if (headers['transfer-encoding'] !== undefined || headers['content-encoding'] !== undefined) return null;
  const bytes = Number(length);
  return bytes > 0 && bytes <= deps.settings.bodyLimitBytes ? url as SingleItemRoute : null;
}

function write(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function answer(deps: FastIngestDeps, route: SingleItemRoute, accountId: string, text: string): Promise<IngestAnswer | { status: 400 | 500 | 503; body: unknown; retryAfterSeconds?: number }> {
  let body: unknown;
  try {
    body = parseJsonBody(text);
  } catch (error) {
    deps.metrics.rejected.inc({ reason: 'invalid_json' });
    return { status: 400, body: errorBody('invalid_json', `body: ${(error as Error).message}`) };
  }
  try {
    return await acceptSingleItem(deps, accountId, route, body, mayHoldNul(text));
  } catch (error) {
    if (isStorageBusy(error)) {
      deps.metrics.rejected.inc({ reason: 'storage_busy' });
      return { status: 503, body: errorBody('storage_busy', STORAGE_BUSY_MESSAGE), retryAfterSeconds: STORAGE_BUSY_RETRY_AFTER_SECONDS };
    }
    deps.onError(error as Error);
    return { status: 500, body: errorBody('internal', 'internal error; the request was not stored') };
  }
}

/**
 * Why: for a one-item request fastify's own machinery (routing, hooks, body parser, reply pipeline)
 * was about a fifth of the main thread's CPU (77 -> 60 µs per request in alternating runs), and
 * single-event ingest is the SDK's everyday traffic. This path claims a request only when fastify
 * would run the route handler for it: an exact route, a JSON content type, a Content-Length within
 * the body limit, an active key with the ingest scope, the collector ready and not closing. Every
 * other request (401/403/503, 413, 415, chunked bodies...) goes to fastify untouched. Once claimed,
 * it answers with the route's logic (ingest/accept-items.ts) and the same bodies, rate limits with
 * the same buckets and counts the same metrics. Request state lives in this call's closures only.
 */
export function createFastIngestPath(deps: FastIngestDeps): FastIngestPath {
  const { metrics } = deps;
  return (req, res) => {
    const route = claimable(req, deps);
    if (route === null) return false;
    const secret = bearerSecret(req.headers.authorization);
    const found = secret === null ? null : deps.keys.lookup(secret, 'ingest');
    if (found === null || found.kind !== 'ok') return false;
    const refusal = deps.limiter?.check(req.socket.remoteAddress ?? '', found.key) ?? null;
    if (refusal !== null) {
      write(res, 429, errorBody('rate_limited', refusal.message), { 'retry-after': String(refusal.retryAfterSeconds) });
      metrics.countRequest(route, 429);
      req.resume();
      return true;
    }
    // As the fastify routes do: the inbox worker yields its write lock until this request is answered.
    res.once('close', deps.inbox.announce());
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A broken or aborted body stores nothing; node closes the connection.
    req.on('error', () => {});
    req.on('end', () => {
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
      chunks.length = 0;
      void answer(deps, route, found.key.accountId, text).then((result) => {
        write(res, result.status, result.body, 'retryAfterSeconds' in result && result.retryAfterSeconds !== undefined ? { 'retry-after': String(result.retryAfterSeconds) } : {});
        metrics.countRequest(route, result.status);
      });
    });
    return true;
  };
}
