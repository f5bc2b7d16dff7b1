// A cheap structural check of an inbox payload: the ingest handler already validated it with the full schema.
import { err, ok, type Item, type Result } from '@touchline/core';

type Shape = Record<string, unknown>;

/** An inbox row's item and its time in epoch ms. */
export interface StoredItem {
  item: Item;
  ts: number;
}

const isObject = (v: unknown): v is Shape => v !== null && typeof v === 'object' && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): boolean => v === null || typeof v === 'string';

/** Per item type, the fields the pipeline reads beyond the common ones, and whether they hold. */
const TYPE_FIELDS: Record<Item['type'], (o: Shape) => string | null> = {
  pageview: () => null,
  event: (o) => (isString(o.name) && isObject(o.properties) ? null : 'event needs a name and properties'),
  conversion: (o) =>
    isString(o.name) &&
    isObject(o.properties) &&
    (o.revenue === null || typeof o.revenue === 'number') &&
    isNullableString(o.currency)
      ? null
      : 'conversion needs a name, revenue, currency and properties',
  identify: (o) => (isString(o.user_id) && isObject(o.traits) ? null : 'identify needs a user_id and traits'),
  session_end: (o) => (isString(o.next_session_id) ? null : 'session_end needs a next_session_id'),
  alias: (o) =>
    isString(o.previous_id) && isNullableString(o.previous_session_id)
      ? null
      : 'alias needs a previous_id and previous_session_id',
};

function contextProblem(ctx: unknown): string | null {
  if (ctx === null) return null;
  if (!isObject(ctx)) return 'context must be an object or null';
  const ok =
    isNullableString(ctx.url) &&
    isNullableString(ctx.referrer) &&
    isNullableString(ctx.session_start) &&
    isObject(ctx.utm) &&
    isObject(ctx.click_ids);
  return ok ? null : 'context lacks url, referrer, utm, click_ids or session_start';
}

/**
 * The stored item, or why it cannot be one. Payloads were written by the ingest handler after a
 * full schema validation, so this only guards the fields the pipeline reads against a row that
 * was corrupted or written by something else: such a row is dead-lettered, never half-processed.
 */
export function parseStoredItem(json: unknown): Result<StoredItem> {
  if (!isObject(json)) return err('payload is not a JSON object');
  const check =
    isString(json.type) && Object.hasOwn(TYPE_FIELDS, json.type) ? TYPE_FIELDS[json.type as Item['type']] : undefined;
  if (check === undefined) return err('payload has no known item type');
  if (!isString(json.id) || !isString(json.visitor_id) || !isNullableString(json.session_id)) {
    return err('payload lacks id, visitor_id or session_id');
  }
  const ts = isString(json.timestamp) ? Date.parse(json.timestamp) : Number.NaN;
  if (!Number.isFinite(ts)) return err('payload has no valid timestamp');
  const problem = contextProblem(json.context) ?? check(json);
  if (problem !== null) return err(problem);
  // Every field the pipeline reads was checked above; the rest was validated at ingest.
  return ok({ item: json as unknown as Item, ts });
}
