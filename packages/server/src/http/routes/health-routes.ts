// Liveness (/healthz), readiness (/readyz: migrations done and key cache loaded) and /metrics.
import type { FastifyInstance } from 'fastify';
import type { CollectorMetrics } from '../../metrics/collector-metrics.js';
import type { KeyCache } from '../auth/key-cache.js';
import { replyError } from '../reply-error.js';

export function registerHealthRoutes(app: FastifyInstance, deps: { keys: KeyCache; metrics: CollectorMetrics; isDraining: () => boolean }): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (deps.isDraining()) return replyError(reply, 503, 'draining', 'the collector is shutting down', { retryAfterSeconds: 1 });
    if (!deps.keys.ready) return replyError(reply, 503, 'not_ready', 'API keys not loaded yet', { retryAfterSeconds: 1 });
    return { status: 'ready' };
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
