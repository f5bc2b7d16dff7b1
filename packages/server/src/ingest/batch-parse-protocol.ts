// Messages between the collector and its batch parse thread: each request carries an id, and its reply the same id (DESIGN L3).
import type { Result } from '@touchline/core';
import type { ItemRules } from './validate-items.js';
import type { BatchParse } from './parse-batch-body.js';

/** Main -> thread: one body to parse; `body` is a copy (the main thread keeps its own for a fallback). */
export interface BatchParseRequest {
  id: number;
  body: Uint8Array;
  rules: ItemRules;
}

/** Thread -> main: the request's parse (itself ok or a refused body), or err: why the thread could not produce one. */
export interface BatchParseReply {
  id: number;
  result: Result<BatchParse>;
}

export function isBatchParseRequest(value: unknown): value is BatchParseRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'number' && v.body instanceof Uint8Array && typeof v.rules === 'object' && v.rules !== null;
}

export function isBatchParseReply(value: unknown): value is BatchParseReply {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'number' || typeof v.result !== 'object' || v.result === null) return false;
  const r = v.result as Record<string, unknown>;
  return r.kind === 'ok'
    ? typeof r.value === 'object' && r.value !== null
    : r.kind === 'err' && typeof r.error === 'string';
}
