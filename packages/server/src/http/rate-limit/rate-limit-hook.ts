// Rate limiting on /api/*: one token bucket per client IP and one per API key; 429 + Retry-After beyond them.
import type { FastifyInstance } from 'fastify';
import { bearerSecret } from '../auth/bearer-secret.js';
import type { KeyCache } from '../auth/key-cache.js';
import { replyError } from '../reply-error.js';
import type { RateLimiter } from './rate-limiter.js';

/**
 * Runs on `onRequest`, before the body is read, so a flood is shed without parsing it.
 * Callback style, not async: no promise per request on the ingest hot path. A refused request is
 * answered here and `done` is not called, as fastify expects of a hook that replies.
 */
export function registerRateLimit(app: FastifyInstance, limiter: RateLimiter | null, keys: KeyCache): void {
  if (limiter === null) return;
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/api/')) return done();
    const secret = bearerSecret(request.headers.authorization);
    const refusal = limiter.check(request.ip, secret === null ? null : keys.find(secret));
    if (refusal === null) return done();
    replyError(reply, 429, 'rate_limited', refusal.message, { retryAfterSeconds: refusal.retryAfterSeconds });
  });
}
