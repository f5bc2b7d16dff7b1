// Turns one HTTP answer into an attempt outcome, checking that it really answers this request.
import { batchResponseSchema, errorResponseSchema } from '@touchline/core';
import { acknowledged, failed, type AttemptOutcome, type HeaderLookup } from './attempt-outcome.js';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}...` : flat;
}

/**
 * Pure. A 2xx counts only if its body is a batch response echoing this attempt's batch id
 * (DESIGN L4: a reply meant for another request is a failed delivery, retried safely because
 * ingestion is idempotent). An error body that names another batch is a crossed reply too.
 */
export function classifyResponse(batchId: string, status: number, headers: HeaderLookup, text: string): AttemptOutcome {
  const json = parseJson(text);
  if (status >= 200 && status < 300) {
    const parsed = batchResponseSchema.safeParse(json);
    if (!parsed.success) {
      return failed(
        batchId,
        status,
        headers,
        'bad_response',
        `HTTP ${status} with a body that is not a batch response: ${snippet(text)}`,
      );
    }
    if (parsed.data.batch_id !== batchId) {
      return failed(
        batchId,
        status,
        headers,
        'batch_id_mismatch',
        `HTTP ${status} answered batch ${parsed.data.batch_id}, expected ${batchId}`,
      );
    }
    return acknowledged(batchId, status, parsed.data);
  }
  const error = errorResponseSchema.safeParse(json);
  if (!error.success)
    return failed(batchId, status, headers, null, `HTTP ${status}${text ? `: ${snippet(text)}` : ''}`);
  const echoed = error.data.batch_id;
  if (echoed !== undefined && echoed !== batchId) {
    return failed(
      batchId,
      status,
      headers,
      'batch_id_mismatch',
      `HTTP ${status} answered batch ${echoed}, expected ${batchId}`,
    );
  }
  return failed(batchId, status, headers, null, `HTTP ${status} ${error.data.error.code}: ${error.data.error.message}`);
}
