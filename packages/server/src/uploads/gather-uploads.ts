// The read side of conversion uploads: a destination's conversions in a window and each one's built payload (runs on a read thread).
import type { Storage, UploadDestination } from '@touchline/storage';
import { buildUploadPayload, CLICK_LOOKBACK_MS, type BuiltUpload } from './build-upload-payload.js';

export interface UploadGatherQuery {
  accountId: string;
  destination: UploadDestination;
  from: number;
  to: number;
  /** At most this many conversions, oldest first. */
  limit: number;
  /** Only conversions not yet in the destination's delivery log (the delivery loop); false for an export. */
  unqueued: boolean;
}

export interface GatheredUpload {
  conversionId: string;
  name: string;
  occurredAt: number;
  built: BuiltUpload;
}

/**
 * One query for the conversions, then one journey lookup per conversion (index lookups, as a single
 * conversion's journey is read): bounded by `limit`, and only conversions of the destination's types.
 */
export async function gatherUploads(storage: Storage, q: UploadGatherQuery): Promise<GatheredUpload[]> {
  const d = q.destination;
  const conversions = await storage.uploadConversions(q.accountId, {
    types: d.conversionTypes,
    from: q.from,
    to: q.to,
    limit: q.limit,
    ...(q.unqueued ? { unqueuedFor: d.id } : {}),
  });
  const gathered: GatheredUpload[] = [];
  for (const c of conversions) {
    const journey = await storage.uploadJourney(q.accountId, c.visitorId, {
      from: c.timestamp - CLICK_LOOKBACK_MS,
      to: c.timestamp,
    });
    gathered.push({
      conversionId: c.id,
      name: c.name,
      occurredAt: c.timestamp,
      built: buildUploadPayload(d, c, journey),
    });
  }
  return gathered;
}
