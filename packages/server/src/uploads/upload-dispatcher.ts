// createUploadDispatcher: the background loop that queues new conversions for enabled destinations and delivers due ones, outside the request path.
import type { AccountUploadDestination, ClaimedUpload, Storage, UploadEnqueue } from '@touchline/storage';
import { Counter, type Registry } from 'prom-client';
import type { ReadPool } from '../reads/read-pool.js';
import type { ServerSettings } from '../server-settings.js';
import { createPeriodicJob } from '../workers/periodic-job.js';
import { gatherUploads, type UploadGatherQuery } from './gather-uploads.js';
import { sendUploadBatch } from './send-upload-batch.js';

const DAY = 86_400_000;
/** Meta refuses a whole request if any event_time is more than 7 days old; an hour of margin for the send itself. */
export const META_MAX_AGE_MS = 7 * DAY - 3_600_000;
/** Deliveries queued per transaction (about 3 ms of SQLite work each on the bench machine). */
const ENQUEUE_CHUNK = 50;

export interface UploadDispatcherDeps {
  storage: Storage;
  /** Where the journey lookups run (the collector's read threads); without it, on `storage` inline. */
  reads?: ReadPool;
  settings: ServerSettings['uploads'];
  now: () => number;
  registry: Registry;
  onError: (error: Error) => void;
  fetch?: typeof fetch;
}

export interface UploadDispatcher {
  start(): void;
  /** One pass: queue new conversions, then send what is due. A call during a pass joins it. */
  runPass(): Promise<void>;
  stop(): Promise<void>;
}

/** Which conversions a destination may queue: since it was created (never history it was not set up for), Meta's only within its 7 days. */
export function queueWindow(d: AccountUploadDestination, now: number, settleMs: number): { from: number; to: number } {
  const from = d.platform === 'meta' ? Math.max(d.createdAt, now - META_MAX_AGE_MS) : d.createdAt;
  return { from, to: now - settleMs };
}

export function createUploadDispatcher(deps: UploadDispatcherDeps): UploadDispatcher {
  const s = deps.settings;
  const doFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const abort = new AbortController();
  // Aborted by stop: in-flight requests end, and a pass stops between steps.
  const stopping = (): boolean => abort.signal.aborted;
  const outcomes = new Counter({
    name: 'touchline_conversion_uploads_total',
    help: 'Conversion upload deliveries by platform and outcome (queued, skipped, delivered, retried, failed)',
    labelNames: ['platform', 'outcome'],
    registers: [deps.registry],
  });
  const policy = { maxAttempts: s.maxAttempts, backoffMs: s.backoffMs, maxBackoffMs: s.maxBackoffMs };

  const gather = (q: UploadGatherQuery) =>
    deps.reads === undefined
      ? gatherUploads(deps.storage, q)
      : deps.reads.run('uploadCandidates', [q], { internal: true });

  async function queue(d: AccountUploadDestination, now: number): Promise<void> {
    const { from, to } = queueWindow(d, now, s.settleMs);
    if (to <= from) return;
    const { accountId, ...destination } = d;
    const found = await gather({ accountId, destination, from, to, limit: s.conversionsPerPass, unqueued: true });
    const rows = found.map(
      (g): UploadEnqueue =>
        g.built.kind === 'payload'
          ? {
              destinationId: d.id,
              conversionId: g.conversionId,
              occurredAt: g.occurredAt,
              status: 'pending',
              payload: JSON.stringify(g.built.payload),
            }
          : {
              destinationId: d.id,
              conversionId: g.conversionId,
              occurredAt: g.occurredAt,
              status: 'skipped',
              reason: g.built.reason,
            },
    );
    // Short transactions with a turn of the event loop between them: on SQLite these writes run on
    // the collector's main connection, and ingest must not wait behind a pass's whole queue.
    for (let i = 0; i < rows.length; i += ENQUEUE_CHUNK) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      await deps.storage.enqueueUploads(accountId, rows.slice(i, i + ENQUEUE_CHUNK), now);
    }
    for (const r of rows)
      outcomes.inc({ platform: d.platform, outcome: r.status === 'pending' ? 'queued' : 'skipped' });
  }

  async function deliver(byKey: Map<string, AccountUploadDestination>, claimed: ClaimedUpload[]): Promise<void> {
    const groups = new Map<string, ClaimedUpload[]>();
    for (const row of claimed) {
      const key = `${row.accountId}\u0000${row.destinationId}`;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [row]);
      else group.push(row);
    }
    for (const [key, rows] of groups) {
      const d = byKey.get(key);
      if (d === undefined) continue; // changed since the list was read: its lease runs out and the next pass takes it
      for (let i = 0; i < rows.length && !stopping(); i += s.batchSize) {
        const batch = rows.slice(i, i + s.batchSize);
        const now = deps.now();
        // Meta refuses a request whole for one event past 7 days: such deliveries fail on their own, unsent.
        const stale =
          d.platform === 'meta'
            ? batch.filter(
                (r) =>
                  Number((JSON.parse(r.payload) as { event_time?: number }).event_time ?? 0) * 1000 < now - 7 * DAY,
              )
            : [];
        const fresh = batch.filter((r) => !stale.includes(r));
        const attempts = [
          ...stale.map((r) => ({
            accountId: r.accountId,
            destinationId: r.destinationId,
            conversionId: r.conversionId,
            leasedUntil: r.leasedUntil,
            status: 'failed' as const,
            nextAttemptAt: now,
            responseCode: null,
            error: 'not sent: event_time is more than 7 days ago, which Meta refuses',
          })),
          ...(fresh.length === 0
            ? []
            : await sendUploadBatch(
                { fetch: doFetch, policy, timeoutMs: s.timeoutMs, now: deps.now, signal: abort.signal },
                d,
                fresh,
              )),
        ];
        if (stopping()) return; // an aborted request says nothing about the platform: leases run out
        await deps.storage.recordUploadAttempts(attempts, deps.now());
        for (const a of attempts)
          outcomes.inc({ platform: d.platform, outcome: a.status === 'pending' ? 'retried' : a.status });
      }
    }
  }

  async function pass(): Promise<void> {
    const enabled = (await deps.storage.listUploadDestinations(null)).filter((d) => d.enabled);
    // Nothing configured and enabled: nothing is read, queued or sent.
    if (enabled.length === 0) return;
    for (const d of enabled) {
      if (stopping()) return;
      try {
        await queue(d, deps.now());
      } catch (error) {
        deps.onError(
          new Error(
            `conversion uploads: queueing for destination ${d.id} ("${d.name}") failed: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          ),
        );
      }
    }
    const claimed = await deps.storage.claimUploads({ now: deps.now(), leaseMs: s.leaseMs, limit: s.claimLimit });
    if (claimed.length > 0) await deliver(new Map(enabled.map((d) => [`${d.accountId}\u0000${d.id}`, d])), claimed);
  }

  // A pass every intervalMs after the previous one ended, the first one interval after start.
  const job = createPeriodicJob(pass, s.intervalMs, { onError: deps.onError, atStart: false });

  return {
    start: job.start,
    runPass: job.runNow,
    async stop() {
      abort.abort();
      await job.stop();
    },
  };
}
