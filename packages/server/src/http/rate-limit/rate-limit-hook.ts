// Rate limiting on /api/*: one token bucket per client IP and one per API key; 429 + Retry-After beyond them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import type { ServerSettings } from '../../server-settings.js';
import { bearerSecret } from '../auth/bearer-secret.js';
import type { KeyCache } from '../auth/key-cache.js';
import { replyError } from '../reply-error.js';
import { createTokenBuckets, type TakeResult } from './token-buckets.js';

interface Deps {
  settings: ServerSettings['rateLimit'];
  keys: KeyCache;
  registry: Registry;
  now: () => number;
}

/**
 * Runs on `onRequest`, before the body is read, so a flood is shed without parsing it. The IP
 * bucket comes first and catches anyone, including senders of unknown keys (which get no bucket
 * of their own, so random keys cannot grow the table); the key bucket keeps one busy tenant from
 * starving the others behind a shared proxy address.
 */
export function registerRateLimit(app: FastifyInstance, deps: Deps): void {
  const { settings } = deps;
  if (!settings.enabled) return;
  const limitedTotal = new Counter({
    name: 'touchline_rate_limited_total', help: 'Requests refused with 429, by the limit that refused them',
    labelNames: ['limit'] as const, registers: [deps.registry],
  });
  const table = { now: deps.now, maxEntries: settings.maxTracked };
  const byIp = createTokenBuckets(settings.perIp, table);
  const byKey = createTokenBuckets(settings.perKey, table);

  const refuse = (reply: FastifyReply, limit: 'ip' | 'key', what: string, result: Extract<TakeResult, { kind: 'limited' }>, perSecond: number): FastifyReply => {
    limitedTotal.inc({ limit });
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    return replyError(reply, 429, 'rate_limited', `too many requests for ${what} (limit ${perSecond}/s per ${limit}); retry after ${seconds} s`, { retryAfterSeconds: seconds });
  };

  /** The refusal, or null to let the request through. */
  const check = (request: FastifyRequest, reply: FastifyReply): FastifyReply | null => {
    const ip = byIp.take(request.ip);
    if (ip.kind === 'limited') return refuse(reply, 'ip', `client ${request.ip}`, ip, settings.perIp.ratePerSecond);
    const secret = bearerSecret(request);
    const key = secret === null ? null : deps.keys.find(secret);
    if (key === null) return null;
    const taken = byKey.take(key.id);
    return taken.kind === 'limited' ? refuse(reply, 'key', `API key ${key.prefix}…`, taken, settings.perKey.ratePerSecond) : null;
  };

  // Callback style, not async: no promise per request on the ingest hot path. A refused request is
  // answered here and `done` is not called, as fastify expects of a hook that replies.
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/api/') || check(request, reply) === null) done();
  });
}
