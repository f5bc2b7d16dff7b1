// The batch request body, assembled from pre-serialized items so its size is known before sending.
import { err, ok, type Item, type Result, type SdkHealth } from '@touchline/core';
import { utf8Length } from '../client/utf8-length.js';
import { itemJson } from './item-json.js';

export interface SdkInfo {
  name: string;
  version: string;
}

/** Same length as any UUIDv7 and any ISO timestamp before year 10000: the envelope size is fixed. */
const BATCH_ID_TEMPLATE = '00000000-0000-0000-0000-000000000000';
const SENT_AT_TEMPLATE = new Date(0).toISOString();
/** Health with every counter at its widest: an envelope with health never weighs more than this one. */
const HEALTH_TEMPLATE: SdkHealth = {
  instance_id: BATCH_ID_TEMPLATE,
  delivered: Number.MAX_SAFE_INTEGER,
  retries: Number.MAX_SAFE_INTEGER,
  auth_failures: Number.MAX_SAFE_INTEGER,
  dropped: Number.MAX_SAFE_INTEGER,
  navigations: Number.MAX_SAFE_INTEGER,
  bot_navigations: Number.MAX_SAFE_INTEGER,
};

const capped = (n: number): number => Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.floor(n)));

/**
 * `{"batch_id":..,"sent_at":..,"sdk":{..,"health":{..}},"items":[<items>]}`. Items are joined as the strings
 * serialized at enqueue time, so the bytes sent are exactly the bytes counted, and an item
 * mutated by the host after `enqueue` cannot change what is sent.
 */
export function serializeBatch(
  batchId: string,
  sentAt: string,
  sdk: SdkInfo,
  itemJsons: readonly string[],
  health?: SdkHealth,
): string {
  const sdkJson: Record<string, unknown> = { name: sdk.name, version: sdk.version };
  if (health !== undefined) {
    sdkJson.health = {
      instance_id: health.instance_id,
      delivered: capped(health.delivered),
      retries: capped(health.retries),
      auth_failures: capped(health.auth_failures),
      dropped: capped(health.dropped),
      navigations: capped(health.navigations),
      bot_navigations: capped(health.bot_navigations),
    };
  }
  const head = JSON.stringify({ batch_id: batchId, sent_at: sentAt, sdk: sdkJson });
  return `${head.slice(0, -1)},"items":[${itemJsons.join(',')}]}`;
}

/**
 * Bytes of a batch with no items (at most, with health: the counters' digits vary); a batch of n
 * items adds their bytes and n - 1 commas.
 */
export function envelopeBytes(sdk: SdkInfo, withHealth = false): number {
  return utf8Length(
    serializeBatch(BATCH_ID_TEMPLATE, SENT_AT_TEMPLATE, sdk, [], withHealth ? HEALTH_TEMPLATE : undefined),
  );
}

/** Total body bytes of a batch whose items weigh `itemBytes` together. */
export function batchBytes(envelope: number, count: number, itemBytes: number): number {
  return envelope + itemBytes + Math.max(0, count - 1);
}

/** An item's JSON text and its UTF-8 length. */
export interface SerializedItem {
  json: string;
  bytes: number;
}

/** JSON.stringify throws on BigInt and cycles; that becomes a value the caller drops and reports. */
export function serializeItem(item: Item): Result<SerializedItem> {
  try {
    const json = itemJson(item);
    return ok({ json, bytes: utf8Length(json) });
  } catch (error) {
    return err(error instanceof Error ? error.message : String(error));
  }
}
