// Ingest answers, framework-neutral: validated items go into the inbox, and the 202 or 400 body says what happened.
import type { BatchResponse, ItemError } from '@touchline/core';
import { isStorageFault, type InboxItem } from '@touchline/storage';
import type { StorageHealth } from '../health/storage-health.js';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import type { ServerSettings } from '../server-settings.js';
import { errorBody, type ErrorBody } from '../http/reply-error.js';
import { STORAGE_BUSY_MESSAGE, STORAGE_BUSY_RETRY_AFTER_SECONDS } from '../http/storage-busy.js';
import type { InboxWriter } from './inbox-writer.js';
import { validateItems, type ItemRules } from './validate-items.js';

export interface AcceptDeps {
  inbox: InboxWriter;
  metrics: CollectorMetrics;
  settings: ServerSettings;
  now: () => number;
  /** While it holds a fault, nothing is written and ingest answers 503. */
  health: Pick<StorageHealth, 'fault' | 'report'>;
}

/** Seconds a client is told to wait (Retry-After) while storage cannot take writes. */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

export type IngestAnswer =
  | { status: 202; body: BatchResponse }
  | { status: 400; body: ErrorBody & Partial<BatchResponse> }
  | { status: 503; body: ErrorBody; retryAfterSeconds: number };

/**
 * Nothing was stored and the client must send it again: storage is unavailable (a fault the health
 * tracker holds) or stayed busy. Never a 202 for items that were not committed (DESIGN.md L11).
 */
function storageUnavailable(deps: AcceptDeps, batchId: string): IngestAnswer {
  deps.metrics.rejected.inc({ reason: 'storage_unavailable' });
  return {
    status: 503,
    retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS,
    body: errorBody(
      'storage_unavailable',
      `storage cannot take writes right now; nothing was stored: retry after ${STORAGE_RETRY_AFTER_SECONDS} s (see /readyz)`,
      batchId,
    ),
  };
}

/** Nothing was stored because storage turned the write away for now (a lock, the WAL at its bound): retry soon. */
function storageBusy(deps: AcceptDeps, batchId: string): IngestAnswer {
  deps.metrics.rejected.inc({ reason: 'storage_busy' });
  return {
    status: 503,
    retryAfterSeconds: STORAGE_BUSY_RETRY_AFTER_SECONDS,
    body: errorBody('storage_busy', STORAGE_BUSY_MESSAGE, batchId),
  };
}

/** The single-item routes and the item type each one stores. */
export const SINGLE_ITEM_ROUTES = {
  '/api/v1/events': 'event',
  '/api/v1/conversions': 'conversion',
  '/api/v1/identify': 'identify',
} as const;
export type SingleItemRoute = keyof typeof SINGLE_ITEM_ROUTES;

export const itemRules = ({ settings, now }: AcceptDeps): ItemRules => ({
  now: now(),
  maxFutureSkewMs: settings.maxFutureSkewMs,
  maxPastAgeMs: settings.maxPastAgeMs,
  storeFullIp: settings.storeFullIp,
  clockToleranceMs: settings.clockToleranceMs,
  maxClockCorrectionMs: settings.maxClockCorrectionMs,
});

/** Writes the accepted items durably (the 202 waits for the commit) and counts what happened. */
export async function storeItems(
  deps: AcceptDeps,
  accountId: string,
  batchId: string,
  accepted: InboxItem[],
  errors: ItemError[],
  repeats = 0,
): Promise<IngestAnswer> {
  const { metrics } = deps;
  for (const e of errors) metrics.rejected.inc({ reason: e.code });
  if (accepted.length === 0) {
    return {
      status: 400,
      body: {
        ...errorBody('invalid_items', errors[0]?.message ?? 'no valid items'),
        batch_id: batchId,
        accepted: 0,
        duplicates: 0,
        errors,
      },
    };
  }
  if (deps.health.fault !== null) return storageUnavailable(deps, batchId);
  // Written durably before the 202: an acknowledged item survives a crash right after.
  let written: { inserted: number; duplicates: number };
  try {
    written = await deps.inbox.write(accountId, accepted);
  } catch (error) {
    if (!isStorageFault(error)) throw error;
    // `unavailable` is held as a fault until a probe passes; `busy` passes by itself.
    return deps.health.report(error) ? storageUnavailable(deps, batchId) : storageBusy(deps, batchId);
  }
  const { inserted } = written;
  // Identical repeats inside the batch are acknowledged like retries: stored once.
  const duplicates = written.duplicates + repeats;
  // One counter update per item type, not per item.
  const byType = new Map<string, number>();
  for (const item of accepted) byType.set(item.type, (byType.get(item.type) ?? 0) + 1);
  for (const [type, count] of byType) metrics.countIngested(type, count);
  metrics.duplicates.inc(duplicates);
  return { status: 202, body: { batch_id: batchId, accepted: inserted, duplicates, errors } };
}

/**
 * One item posted to /events, /conversions or /identify: the body is the item without its `type`,
 * plus an optional batch_id. Validation is synchronous, so the caller may drop the parsed body as
 * soon as this returns, before the commit it waits for. `checkNul: false` when the raw body cannot hold a NUL (mayHoldNul).
 */
export function acceptSingleItem(
  deps: AcceptDeps,
  accountId: string,
  route: SingleItemRoute,
  body: unknown,
  checkNul = true,
): Promise<IngestAnswer> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return Promise.resolve({ status: 400, body: errorBody('invalid_item', 'body: expected one JSON object') });
  }
  const { batch_id: batchId, ...item } = body as Record<string, unknown>;
  const { accepted, errors } = validateItems([{ type: SINGLE_ITEM_ROUTES[route], ...item }], itemRules(deps), checkNul);
  return storeItems(deps, accountId, typeof batchId === 'string' ? batchId.slice(0, 64) : '', accepted, errors);
}
