// The batch request body, assembled from pre-serialized items so its size is known before sending.
import type { Item } from '@touchline/core';

export interface SdkInfo {
  name: string;
  version: string;
}

/** Same length as any UUIDv7 and any ISO timestamp before year 10000: the envelope size is fixed. */
const BATCH_ID_TEMPLATE = '00000000-0000-0000-0000-000000000000';
const SENT_AT_TEMPLATE = new Date(0).toISOString();

/**
 * `{"batch_id":..,"sent_at":..,"sdk":..,"items":[<items>]}`. Items are joined as the strings
 * serialized at enqueue time, so the bytes sent are exactly the bytes counted, and an item
 * mutated by the host after `enqueue` cannot change what is sent.
 */
export function serializeBatch(batchId: string, sentAt: string, sdk: SdkInfo, itemJsons: readonly string[]): string {
  const head = JSON.stringify({ batch_id: batchId, sent_at: sentAt, sdk: { name: sdk.name, version: sdk.version } });
  return `${head.slice(0, -1)},"items":[${itemJsons.join(',')}]}`;
}

/** Bytes of a batch with no items; a batch of n items adds their bytes and n - 1 commas. */
export function envelopeBytes(sdk: SdkInfo): number {
  return Buffer.byteLength(serializeBatch(BATCH_ID_TEMPLATE, SENT_AT_TEMPLATE, sdk, []));
}

/** Total body bytes of a batch whose items weigh `itemBytes` together. */
export function batchBytes(envelope: number, count: number, itemBytes: number): number {
  return envelope + itemBytes + Math.max(0, count - 1);
}

export type SerializedItem = { ok: true; json: string; bytes: number } | { ok: false; message: string };

/** JSON.stringify throws on BigInt and cycles; that becomes a value the caller drops and reports. */
export function serializeItem(item: Item): SerializedItem {
  try {
    const json = JSON.stringify(item);
    return { ok: true, json, bytes: Buffer.byteLength(json) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
