// Liveness (/healthz), readiness (/readyz: migrations done, key cache loaded, storage taking writes) and /metrics.
import type { FastifyInstance } from 'fastify';
import type { CollectorMetrics } from '../../metrics/collector-metrics.js';
import type { StorageHealth } from '../../health/storage-health.js';
import type { KeyCache } from '../auth/key-cache.js';
import { replyError } from '../reply-error.js';

export function registerHealthRoutes(app: FastifyInstance, deps: { keys: KeyCache; metrics: CollectorMetrics; health: Pick<StorageHealth, 'fault'>; isDraining: () => boolean }): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (deps.isDraining()) return replyError(reply, 503, 'draining', 'the collector is shutting down', { retryAfterSeconds: 1 });
    if (!deps.keys.ready) return replyError(reply, 503, 'not_ready', 'API keys not loaded yet', { retryAfterSeconds: 1 });
    const { fault } = deps.health;
    if (fault !== null) {
      return replyError(reply, 503, 'storage_unavailable', `storage unavailable since ${new Date(fault.since).toISOString()}: ${fault.reason}`, { retryAfterSeconds: 5 });
    }
    return { status: 'ready' };
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
