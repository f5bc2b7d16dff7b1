// createCollector: wires storage, key cache, HTTP routes, metrics and workers into one collector.
import { err, ok, SettingsError, type Result } from '@touchline/core';
import { isStorageBusy, type MigrationProgress, type Storage, type StorageTarget } from '@touchline/storage';
import { createServer, type RequestListener, type Server } from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createStorageHealth, type StorageFault, type StorageHealth } from './health/storage-health.js';
import { createKeyCache, type KeyCache } from './http/auth/key-cache.js';
import { replyError } from './http/reply-error.js';
import { registerAttributionRoutes } from './http/routes/attribution-routes.js';
import { registerHealthRoutes } from './http/routes/health-routes.js';
import { registerIngestRoutes } from './http/routes/ingest-routes.js';
import { registerIntegrityRoute } from './http/routes/integrity-route.js';
import { registerOpenApiRoute } from './http/routes/openapi-route.js';
import { registerQueryRoutes } from './http/routes/query-routes.js';
import { registerSpendRoutes } from './http/routes/spend-routes.js';
import { registerFunnelRoutes } from './http/routes/funnel-routes.js';
import { registerUploadRoutes } from './http/routes/upload-routes.js';
import { createUploadDispatcher, type UploadDispatcher } from './uploads/upload-dispatcher.js';
import { registerPrivacyRoutes, type ThreadEraser } from './http/routes/privacy-routes.js';
import { tombstoneLifetimeMs } from './privacy/tombstone-lifetime.js';
import { registerJsonBodyParser } from './http/json-body-parser.js';
import { registerRateLimit } from './http/rate-limit/rate-limit-hook.js';
import { registerRejectNulParameters } from './http/reject-nul-parameters.js';
import { createRateLimiter } from './http/rate-limit/rate-limiter.js';
import { replyClientError } from './http/reply-client-error.js';
import { createBatchParser, resolveBatchParseThreadEntry, type BatchParser } from './ingest/batch-parser.js';
import { createInboxWriter } from './ingest/inbox-writer.js';
import { createAlertWebhook, type AlertWebhook } from './integrity/alert-webhook.js';
import { createIntegrityMetrics } from './integrity/integrity-metrics.js';
import { createDiskWatch } from './integrity/disk-watch.js';
import { createIntegrityMonitor, type IntegrityMonitor } from './integrity/integrity-monitor.js';
import { createSdkHealthRecorder, type SdkHealthRecorder } from './integrity/sdk-health-recorder.js';
import { createCollectorMetrics, type CollectorMetrics } from './metrics/collector-metrics.js';
import { ReadCancelledError } from './reads/read-cancelled-error.js';
import { createReadPool, inlineReadSlots, type ReadPool } from './reads/read-pool.js';
import { ReadsBusyError } from './reads/reads-busy-error.js';
import { resolveReadThreadEntry, threadReadSlots } from './reads/thread-read-slots.js';
import { parseServerSettings, type ServerSettings, type ServerSettingsInput } from './server-settings.js';
import { createInboxWorker, type InboxWorker } from './workers/inbox-worker.js';
import { startInboxPruner, type InboxPruner } from './workers/inbox-pruner.js';
import { startJourneyRefresher, type JourneyRefresher } from './workers/journey-refresher.js';
import { startMaintenance, type MaintenanceTimer } from './workers/maintenance-timer.js';
import { startPeriodicJob, type PeriodicJob } from './workers/periodic-job.js';
import { createThreadInboxWorker, resolveInboxThreadEntry } from './workers/inbox-thread-worker.js';
import { createIngestWriteGate, createWriteGateBuffer } from './workers/write-gate.js';
import { STORAGE_BUSY_MESSAGE, STORAGE_BUSY_RETRY_AFTER_SECONDS } from './http/storage-busy.js';

export interface Collector {
  readonly app: FastifyInstance;
  readonly settings: ServerSettings;
  readonly keys: KeyCache;
  readonly worker: InboxWorker;
  /** Where the inbox worker runs now: settings.worker.mode resolved, and 'inline' once a thread has failed. */
  readonly workerMode: 'thread' | 'inline';
  /** Parses POST /api/v1/batch bodies: on a thread beside a thread inbox worker, else inline. */
  readonly batchParser: BatchParser;
  readonly metrics: CollectorMetrics;
  /** Where queries run (settings.reads): read threads, or inline when the database cannot be reopened. */
  readonly reads: ReadPool;
  /** The continuous integrity monitor (settings.integrity); its timer runs only when enabled. */
  readonly integrity: IntegrityMonitor;
  /** The alert webhook, when settings.integrity.webhookUrl is set. */
  readonly alertWebhook: AlertWebhook | null;
  /** Buffers the SDK health reports batches carry and writes them every integrity.sdkHealthFlushMs. */
  readonly sdkHealth: SdkHealthRecorder;
  /** Whether storage takes writes now (probed every settings.storageProbeMs); ingest answers 503 while it holds a fault. */
  readonly storageHealth: StorageHealth;
  /** Sends conversions back to ad platforms (settings.uploads); sends nothing without an enabled destination. */
  readonly uploads: UploadDispatcher;
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
  /** The PostgreSQL URL `storage` was opened from: with it, queries run on read threads with their own pools. */
  databaseUrl?: string;
  settings?: ServerSettingsInput;
  onError?: (e: Error) => void;
  /**
   * Told when storage stops taking writes (with the reason) and when it recovers (null).
   * @default a fault goes to onError; the recovery is not reported
   */
  onStorageHealth?: (fault: StorageFault | null) => void;
  /** Told before and after each pending database migration at start (see Storage.migrate). */
  onMigration?: (step: MigrationProgress) => void;
}

/** A thread needs a file both connections can open and the real clock (an injected one cannot cross threads). */
function threadBlocker(settings: ServerSettings, databasePath: string | undefined): string | null {
  if (databasePath === undefined || databasePath === '' || databasePath === ':memory:')
    return 'no database file path is known';
  if (settings.now !== undefined) return 'an injected clock cannot cross into a thread';
  return null;
}

function createWorker(
  options: CollectorOptions,
  settings: ServerSettings,
  metrics: CollectorMetrics,
  now: () => number,
  onError: (e: Error) => void,
): { worker: InboxWorker; mode: () => 'thread' | 'inline'; writeGate?: SharedArrayBuffer; erase?: ThreadEraser } {
  const inline = createInboxWorker({ storage: options.storage, settings, metrics, now, onError });
  if (settings.worker.mode === 'inline') return { worker: inline, mode: () => 'inline' };
  const blocker = threadBlocker(settings, options.databasePath);
  if (blocker !== null && settings.worker.mode === 'thread') {
    throw new SettingsError('collector', [{ path: 'worker.mode', message: `'thread' is not possible: ${blocker}` }]);
  }
  const entry = resolveInboxThreadEntry();
  if (blocker !== null || entry === null || options.databasePath === undefined)
    return { worker: inline, mode: () => 'inline' };
  const writeGate = createWriteGateBuffer();
  const worker = createThreadInboxWorker({
    entry,
    databasePath: options.databasePath,
    settings,
    metrics,
    fallback: inline,
    onError,
    writeGate,
  });
  return { worker, mode: () => worker.mode(), writeGate, erase: (order) => worker.erase(order) };
}

/** The database a read thread can reopen, or why none can. */
function readTarget(options: CollectorOptions): Result<StorageTarget> {
  const path = options.databasePath;
  if (path !== undefined && path !== '' && path !== ':memory:') return ok({ dialect: 'sqlite', path });
  if (options.databaseUrl !== undefined) return ok({ dialect: 'postgres', url: options.databaseUrl });
  return err('no database file path or URL is known');
}

function createReads(options: CollectorOptions, settings: ServerSettings, onError: (e: Error) => void): ReadPool {
  const s = settings.reads;
  const target = readTarget(options);
  if (target.kind === 'err' && s.mode === 'thread') {
    throw new SettingsError('collector', [
      { path: 'reads.mode', message: `'thread' is not possible: ${target.error}` },
    ]);
  }
  const entry = s.mode === 'inline' || target.kind === 'err' ? null : resolveReadThreadEntry();
  const bound = { maxQueued: s.maxQueued, retryAfterSeconds: s.retryAfterSeconds };
  if (entry === null || target.kind === 'err')
    return createReadPool({ mode: 'inline', slots: inlineReadSlots(options.storage, s.threads), ...bound });
  return createReadPool({
    mode: 'thread',
    slots: threadReadSlots({ entry, target: target.value, count: s.threads, nice: s.threadNice, onError }),
    ...bound,
  });
}

/** The integrity monitor and, when a URL is set, the webhook its alert transitions go to. */
function createMonitoring(
  storage: Storage,
  reads: ReadPool,
  settings: ServerSettings,
  metrics: CollectorMetrics,
  now: () => number,
  onError: (e: Error) => void,
): { integrity: IntegrityMonitor; alertWebhook: AlertWebhook | null; sdkHealth: SdkHealthRecorder } {
  const s = settings.integrity;
  const sdkHealth = createSdkHealthRecorder({ storage, now, flushMs: s.sdkHealthFlushMs, onError });
  const integrityMetrics = createIntegrityMetrics(metrics.registry);
  const alertWebhook =
    s.webhookUrl === undefined
      ? null
      : createAlertWebhook({
          url: s.webhookUrl,
          policy: { maxAttempts: s.webhookMaxAttempts, backoffMs: s.webhookBackoffMs },
          timeoutMs: s.webhookTimeoutMs,
          metrics: integrityMetrics,
          onError,
        });
  const disk = createDiskWatch({ storage, limits: settings.disk, now, state: integrityMetrics.disk, onError });
  const integrity = createIntegrityMonitor({
    storage,
    reads,
    now,
    intervalMs: s.intervalMs,
    firstPassAfterMs: s.firstPassAfterMs,
    metrics: integrityMetrics,
    onError,
    beforePass: () => sdkHealth.flush(),
    disk,
    onTransitions:
      alertWebhook === null
        ? undefined
        : (account, transitions, report) => alertWebhook.notify(account, transitions, report.checkedAt),
  });
  return { integrity, alertWebhook, sdkHealth };
}

/**
 * The HTTP/1 server fastify would make (same options and timeouts). `requestTimeout` goes to
 * createServer itself: only then does Node derive headersTimeout from it and cut slow bodies (set
 * afterwards, it cut only slow headers).
 */
function serverWithRequestTimeout(requestTimeoutMs: number) {
  return (handler: RequestListener, options: FastifyServerOptions): Server => {
    const server = createServer(
      {
        requestTimeout: requestTimeoutMs,
        connectionsCheckingInterval: Math.min(5000, Math.ceil(requestTimeoutMs / 4)),
      },
      handler,
    );
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    server.setTimeout(options.connectionTimeout ?? 0);
    return server;
  };
}

export function createCollector(options: CollectorOptions): Collector {
  const settings = parseServerSettings(options.settings);
  const { storage } = options;
  const now = settings.now ?? Date.now;
  const onError = options.onError ?? (() => {});
  const keys = createKeyCache(storage);
  const metrics = createCollectorMetrics(storage, now);
  const health = createStorageHealth({
    storage,
    now,
    intervalMs: settings.storageProbeMs,
    onChange:
      options.onStorageHealth ??
      ((fault) => {
        if (fault !== null)
          onError(new Error(`storage unavailable, ingest answers 503 until it recovers: ${fault.reason}`));
      }),
  });
  // A worker pass that meets a storage fault tells the health tracker at once (the probe clears it).
  const workerOnError = (error: Error): void => {
    health.report(error);
    onError(error);
  };
  const { worker, mode: workerMode, writeGate, erase } = createWorker(options, settings, metrics, now, workerOnError);
  const reads = createReads(options, settings, onError);
  const {
    integrity: monitor,
    alertWebhook,
    sdkHealth,
  } = createMonitoring(storage, reads, settings, metrics, now, onError);
  const uploads = createUploadDispatcher({
    storage,
    reads,
    settings: settings.uploads,
    now,
    registry: metrics.registry,
    onError,
  });
  let draining = false;
  let keyRefresh: PeriodicJob | null = null;
  let maintenance: MaintenanceTimer | null = null;
  let pruner: InboxPruner | null = null;
  let journeyRefresher: JourneyRefresher | null = null;

  const inbox = createInboxWriter(storage, now, writeGate ? createIngestWriteGate(writeGate) : undefined);
  // Batches get a parse thread where the inbox worker has one (a database file, the real clock): the
  // event loop then spends ~4.4 instead of ~9 µs per batched item. Elsewhere (tests, ':memory:') inline.
  const batchParser = createBatchParser({ entry: writeGate ? resolveBatchParseThreadEntry() : null, onError });
  const limiter = createRateLimiter({ settings: settings.rateLimit, registry: metrics.registry, now });

  // __proto__ / constructor.prototype keys are dropped while parsing, so they can never reach an object's prototype.
  const app = Fastify({
    bodyLimit: settings.bodyLimitBytes,
    logger: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    // A slow body or slow headers (slowloris) are cut off with 408; Node checks open requests on an interval.
    requestTimeout: settings.requestTimeoutMs,
    serverFactory: serverWithRequestTimeout(settings.requestTimeoutMs),
    clientErrorHandler: (error, socket) => replyClientError(error, socket, metrics),
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error instanceof ReadsBusyError) {
      metrics.rejected.inc({ reason: 'reads_busy' });
      return replyError(reply, 503, 'reads_busy', error.message, { retryAfterSeconds: error.retryAfterSeconds });
    }
    // The client is gone; nobody reads this answer, and nothing was lost.
    if (error instanceof ReadCancelledError) return replyError(reply, 499, 'cancelled', error.message);
    const mapped =
      BODY_ERRORS[error.code] ??
      (error instanceof SyntaxError ? ([400, 'invalid_json'] as [number, string]) : undefined);
    if (mapped) {
      metrics.rejected.inc({ reason: mapped[1] });
      const message =
        mapped[0] === 413
          ? `request body exceeds ${settings.bodyLimitBytes} bytes`
          : mapped[0] === 415
            ? `${error.message}; send the body as Content-Type: application/json`
            : `body: ${error.message}`;
      return replyError(reply, mapped[0], mapped[1], message);
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return replyError(reply, error.statusCode, 'bad_request', error.message);
    }
    if (isStorageBusy(error)) {
      metrics.rejected.inc({ reason: 'storage_busy' });
      return replyError(reply, 503, 'storage_busy', STORAGE_BUSY_MESSAGE, {
        retryAfterSeconds: STORAGE_BUSY_RETRY_AFTER_SECONDS,
      });
    }
    onError(error);
    return replyError(reply, 500, 'internal', 'internal error; the request was not stored');
  });
  // JSON only: a text/plain body would otherwise reach the routes as a string and fail as a vague 400.
  app.removeContentTypeParser('text/plain');
  registerJsonBodyParser(app);
  app.setNotFoundHandler((request, reply) =>
    replyError(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
  );
  // Callback style: no promise per request. Route patterns and statuses are few (the tallies stay small).
  app.addHook('onResponse', (request, reply, done) => {
    metrics.countRequest(request.routeOptions.url ?? 'unknown', reply.statusCode);
    done();
  });

  registerRateLimit(app, limiter, keys);
  registerRejectNulParameters(app);
  registerHealthRoutes(app, { keys, metrics, health, isDraining: () => draining, metricsToken: settings.metricsToken });
  registerIngestRoutes(app, { inbox, batchParser, keys, settings, metrics, now, health, sdkHealth });
  registerQueryRoutes(app, { reads, keys, now });
  registerAttributionRoutes(app, { reads, keys, now });
  registerSpendRoutes(app, { storage, keys, now });
  registerFunnelRoutes(app, { storage, reads, keys, now });
  registerUploadRoutes(app, { storage, reads, keys, now });
  registerPrivacyRoutes(app, { storage, reads, keys, now, tombstoneMs: tombstoneLifetimeMs(settings), erase });
  registerIntegrityRoute(app, { monitor, keys });
  registerOpenApiRoute(app);

  return {
    app,
    settings,
    keys,
    worker,
    reads,
    get workerMode() {
      return workerMode();
    },
    batchParser,
    metrics,
    integrity: monitor,
    alertWebhook,
    sdkHealth,
    storageHealth: health,
    uploads,
    async start() {
      const address = await app.listen({ port: settings.port, host: settings.host });
      await storage.migrate(options.onMigration ? { onProgress: options.onMigration } : {});
      // Read threads start now, beside the rest of the start, not on the first user's query (docs/reads.md).
      const warming = reads
        .warm()
        .catch((e: unknown) =>
          onError(new Error(`starting the read threads failed: ${e instanceof Error ? e.message : String(e)}`)),
        );
      await keys.refresh();
      health.start();
      keyRefresh = startPeriodicJob(() => keys.refresh(), settings.keyRefreshMs, { onError, atStart: false });
      maintenance = startMaintenance({ storage, settings, now, onError });
      // A live inbox worker thread prunes on its own connection; here only when the worker is inline
      // (PostgreSQL, tests, or after the thread failed): bounded steps that yield between them.
      if (settings.inboxKeepDays !== null || settings.inboxPayloadKeepDays !== null) {
        pruner = startInboxPruner({
          storage,
          keepDays: settings.inboxKeepDays,
          compactDays: settings.inboxPayloadKeepDays,
          intervalMs: settings.maintenanceIntervalMs,
          now,
          onError,
          enabled: () => !settings.worker.enabled || workerMode() === 'inline',
        });
      }
      // Likewise the journey refresher (docs/read-model.md): here only while the worker is not a live thread.
      if (settings.worker.enabled) {
        journeyRefresher = startJourneyRefresher({
          storage,
          intervalMs: settings.journeyRefreshMs,
          onError,
          enabled: () => workerMode() === 'inline',
        });
      }
      if (settings.worker.enabled) worker.start();
      sdkHealth.start();
      if (settings.integrity.enabled) monitor.start();
      if (settings.uploads.enabled) uploads.start();
      // Ingest is taken meanwhile (keys are loaded); `start` resolves once a query would start at once.
      await warming;
      return { url: address };
    },
    async close() {
      draining = true;
      // Not awaited, as before: a refresh in flight must not hold up closing.
      void keyRefresh?.stop();
      await app.close();
      await batchParser.close();
      await worker.stop();
      await health.stop();
      await monitor.stop();
      await uploads.stop();
      await alertWebhook?.stop();
      await sdkHealth.stop();
      await maintenance?.stop();
      await reads.close();
      await pruner?.stop();
      await journeyRefresher?.stop();
      await storage.close();
    },
  };
}
