// Liveness (/healthz), readiness (/readyz: migrations done, key cache loaded, storage taking writes) and /metrics.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { bearerSecret } from '../auth/bearer-secret.js';
import type { CollectorMetrics } from '../../metrics/collector-metrics.js';
import type { StorageHealth } from '../../health/storage-health.js';
import type { KeyCache } from '../auth/key-cache.js';
import { replyError } from '../reply-error.js';

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: {
    keys: KeyCache;
    metrics: CollectorMetrics;
    health: Pick<StorageHealth, 'fault'>;
    isDraining: () => boolean;
    metricsToken?: string | undefined;
  },
): void {
  const tokenDigest = deps.metricsToken === undefined ? null : digest(deps.metricsToken);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (deps.isDraining())
      return replyError(reply, 503, 'draining', 'the collector is shutting down', { retryAfterSeconds: 1 });
    if (!deps.keys.ready)
      return replyError(reply, 503, 'not_ready', 'API keys not loaded yet', { retryAfterSeconds: 1 });
    const { fault } = deps.health;
    if (fault !== null) {
      return replyError(
        reply,
        503,
        'storage_unavailable',
        `storage unavailable since ${new Date(fault.since).toISOString()}: ${fault.reason}`,
        { retryAfterSeconds: 5 },
      );
    }
    return { status: 'ready' };
  });
  app.get('/metrics', async (request, reply) => {
    if (tokenDigest !== null) {
      const sent = bearerSecret(request.headers.authorization);
      // Digests of equal length, compared in constant time: the time taken says nothing about the token.
      if (sent === null || !timingSafeEqual(digest(sent), tokenDigest)) {
        return replyError(
          reply,
          401,
          'unauthorized',
          "/metrics needs Authorization: Bearer <the collector's metrics token>",
        );
      }
    }
    reply.header('content-type', deps.metrics.registry.contentType);
    const text = await deps.metrics.registry.metrics();
    return tokenDigest === null ? withoutAccounts(text) : text;
  });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Series labelled with an account name: only for a scraper that shows the metrics token. */
const PER_ACCOUNT = /^touchline_integrity_state\{/;

/** The exposition text without per-account series: an open /metrics names no account. */
function withoutAccounts(text: string): string {
  return text
    .split('\n')
    .filter((line) => !PER_ACCOUNT.test(line))
    .join('\n');
}
