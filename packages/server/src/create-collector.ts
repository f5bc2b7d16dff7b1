// createCollector: wires storage, key cache, HTTP routes, metrics and workers into one collector.
import { SettingsError } from '@touchline/core';
import type { Storage } from '@touchline/storage';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { createKeyCache, type KeyCache } from './http/auth/key-cache.js';
import { replyError } from './http/reply-error.js';
import { registerAttributionRoutes } from './http/routes/attribution-routes.js';
import { registerHealthRoutes } from './http/routes/health-routes.js';
import { registerIngestRoutes } from './http/routes/ingest-routes.js';
import { registerOpenApiRoute } from './http/routes/openapi-route.js';
import { registerQueryRoutes } from './http/routes/query-routes.js';
import { createInboxWriter } from './ingest/inbox-writer.js';
import { createCollectorMetrics, type CollectorMetrics } from './metrics/collector-metrics.js';
import { parseServerSettings, type ServerSettings, type ServerSettingsInput } from './server-settings.js';
import { createInboxWorker, type InboxWorker } from './workers/inbox-worker.js';
import { createThreadInboxWorker, resolveInboxThreadEntry } from './workers/inbox-thread-worker.js';
import { createIngestWriteGate, createWriteGateBuffer } from './workers/write-gate.js';

export interface Collector {
  readonly app: FastifyInstance;
  readonly settings: ServerSettings;
  readonly keys: KeyCache;
  readonly worker: InboxWorker;
  /** Where the inbox worker runs (settings.worker.mode, resolved). */
  readonly workerMode: 'thread' | 'inline';
  readonly metrics: CollectorMetrics;
  /** Listens, then migrates and loads keys (answering 503 until then), then starts workers. */
  start(): Promise<{ url: string }>;
  /** Stops accepting, lets in-flight requests finish, drains the worker pass, closes storage. */
  close(): Promise<void>;
}

const BODY_ERRORS: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'empty_body'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_content_length'],
};

export interface CollectorOptions {
  storage: Storage;
  /**
   * The SQLite file `storage` was opened from. With it (and no injected clock) the inbox worker
   * runs on a worker thread with its own connection; without it, or for ':memory:', inline.
   */
  databasePath?: string;
  settings?: ServerSettingsInput;
  onError?: (e: Error) => void;
}

/** A thread needs a file both connections can open and the real clock (an injected one cannot cross threads). */
function threadBlocker(settings: ServerSettings, databasePath: string | undefined): string | null {
  if (databasePath === undefined || databasePath === '' || databasePath === ':memory:') return 'no database file path is known';
  if (settings.now !== undefined) return 'an injected clock cannot cross into a thread';
  return null;
}

function createWorker(
  options: CollectorOptions, settings: ServerSettings, metrics: CollectorMetrics, now: () => number, onError: (e: Error) => void,
): { worker: InboxWorker; mode: 'thread' | 'inline'; writeGate?: SharedArrayBuffer } {
  const inline = createInboxWorker({ storage: options.storage, settings, metrics, now, onError });
  if (settings.worker.mode === 'inline') return { worker: inline, mode: 'inline' };
  const blocker = threadBlocker(settings, options.databasePath);
  if (blocker !== null && settings.worker.mode === 'thread') {
    throw new SettingsError('collector', [{ path: 'worker.mode', message: `'thread' is not possible: ${blocker}` }]);
  }
  const entry = resolveInboxThreadEntry();
  if (blocker !== null || entry === null || options.databasePath === undefined) return { worker: inline, mode: 'inline' };
  const writeGate = createWriteGateBuffer();
  const worker = createThreadInboxWorker({ entry, databasePath: options.databasePath, settings, metrics, fallback: inline, onError, writeGate });
  return { worker, mode: 'thread', writeGate };
}

export function createCollector(options: CollectorOptions): Collector {
  const settings = parseServerSettings(options.settings);
  const { storage } = options;
  const now = settings.now ?? Date.now;
  const onError = options.onError ?? (() => {});
  const keys = createKeyCache(storage);
  const metrics = createCollectorMetrics(storage, now);
  const { worker, mode: workerMode, writeGate } = createWorker(options, settings, metrics, now, onError);
  let draining = false;
  let keyTimer: NodeJS.Timeout | null = null;

  // __proto__ / constructor.prototype keys are dropped while parsing, so they can never reach an object's prototype.
  const app = Fastify({
    bodyLimit: settings.bodyLimitBytes, logger: false, return503OnClosing: true, forceCloseConnections: 'idle',
    onProtoPoisoning: 'remove', onConstructorPoisoning: 'remove',
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const mapped = BODY_ERRORS[error.code] ?? (error instanceof SyntaxError ? [400, 'invalid_json'] as [number, string] : undefined);
    if (mapped) {
      metrics.rejected.inc({ reason: mapped[1] });
      const message = mapped[0] === 413 ? `request body exceeds ${settings.bodyLimitBytes} bytes` : `body: ${error.message}`;
      return replyError(reply, mapped[0], mapped[1], message);
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return replyError(reply, error.statusCode, 'bad_request', error.message);
    }
    onError(error);
    return replyError(reply, 500, 'internal', 'internal error; the request was not stored');
  });
  app.setNotFoundHandler((request, reply) => replyError(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  app.addHook('onResponse', async (request, reply) => {
    metrics.requests.inc({ route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) });
  });

  registerHealthRoutes(app, { keys, metrics, isDraining: () => draining });
  const inbox = createInboxWriter(storage, now, writeGate ? createIngestWriteGate(writeGate) : undefined);
  registerIngestRoutes(app, { inbox, keys, settings, metrics, now });
  registerQueryRoutes(app, { storage, keys, now });
  registerAttributionRoutes(app, { storage, keys, now });
  registerOpenApiRoute(app);

  return {
    app, settings, keys, worker, workerMode, metrics,
    async start() {
      const address = await app.listen({ port: settings.port, host: settings.host });
      await storage.migrate();
      await keys.refresh();
      keyTimer = setInterval(() => { keys.refresh().catch(onError); }, settings.keyRefreshMs);
      keyTimer.unref();
      if (settings.worker.enabled) worker.start();
      return { url: address };
    },
    async close() {
      draining = true;
      if (keyTimer) clearInterval(keyTimer);
      await app.close();
      await worker.stop();
      await storage.close();
    },
  };
}
