// One HTTP attempt to deliver a batch: a fresh batch id, one POST, one outcome value; never throws.
import { isoTimestamp, newId, type SdkHealth } from '@touchline/core';
import { failed, type AttemptOutcome, type FailureKind } from './attempt-outcome.js';
import { serializeBatch, type SdkInfo } from './batch-envelope.js';
import type { QueuedItem } from './batch-cutter.js';
import { classifyResponse } from './classify-response.js';
import type { HttpPost } from './http-post.js';

export interface SendContext {
  /** The HTTP client: fetch, or createHttpPost's. */
  fetch: HttpPost;
  /** Full URL of the batch endpoint. */
  url: string;
  apiKey: string;
  sdk: SdkInfo;
  now: () => number;
  timeoutMs: number;
  /** Aborted when the transport shuts down, so no request outlives close(). */
  shutdown: AbortSignal;
  /** The delivery health to report with this attempt (counters as of now), if the SDK reports it. */
  health?: () => SdkHealth;
}

/**
 * One controller per attempt, aborted by its own timer or by shutdown, and unhooked afterwards so
 * the long-lived shutdown signal does not collect one listener per attempt. AbortSignal.timeout
 * plus AbortSignal.any (Node 20.3+; engines allow 20.0) did the same at ~25 us of CPU per batch on
 * Node 20, and every combined signal stayed registered with the shutdown signal until collected.
 */
function combineSignals(timeoutMs: number, shutdown: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onShutdown = (): void => controller.abort(shutdown.reason);
  if (shutdown.aborted) onShutdown();
  else shutdown.addEventListener('abort', onShutdown, { once: true });
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  // As AbortSignal.timeout's timer: an attempt's deadline never keeps the host process alive by itself.
  (timer as { unref?: () => void }).unref?.();
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      shutdown.removeEventListener('abort', onShutdown);
    },
  };
}

function failureKind(error: unknown, shutdown: AbortSignal): FailureKind {
  if (shutdown.aborted) return 'aborted';
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') return 'timeout';
  if (name === 'AbortError') return 'aborted';
  return 'network';
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/**
 * A new UUIDv7 batch id on every attempt, so a reply can be matched to the attempt it answers;
 * item ids stay as they are: they are the collector's idempotency keys. The timeout covers the
 * whole exchange, body included.
 */
export async function sendBatch(entries: readonly QueuedItem[], ctx: SendContext): Promise<AttemptOutcome> {
  const batchId = newId(ctx.now());
  const { signal, dispose } = combineSignals(ctx.timeoutMs, ctx.shutdown);
  try {
    const body = serializeBatch(
      batchId,
      isoTimestamp(ctx.now()),
      ctx.sdk,
      entries.map((e) => e.json),
      ctx.health?.(),
    );
    const response = await ctx.fetch(ctx.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ctx.apiKey}`,
        'content-type': 'application/json',
        'user-agent': `${ctx.sdk.name}/${ctx.sdk.version}`,
      },
      body,
      signal,
    });
    const text = await response.text();
    return classifyResponse(batchId, response.status, response.headers, text);
  } catch (error) {
    const kind = failureKind(error, ctx.shutdown);
    const what = kind === 'timeout' ? `no answer within ${ctx.timeoutMs} ms` : describe(error);
    return failed(batchId, null, null, kind, `POST ${ctx.url} failed (${kind}): ${what}`);
  } finally {
    dispose();
  }
}
