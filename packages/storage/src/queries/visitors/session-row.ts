// The sessions row as the database returns it, and its mapping to the contract's SessionRecord.
import type { SessionRecord } from '../../storage.js';
import { storedJsonObject } from '../stored-json-object.js';

export interface SessionRow {
  id: string;
  visitor_id: string;
  started_at: number;
  last_seen_at: number;
  landing_url: string | null;
  referrer: string | null;
  channel: string | null;
  utm: string;
  click_ids: string;
  event_count: number;
}

export const SESSION_COLUMNS =
  'id, visitor_id, started_at, last_seen_at, landing_url, referrer, channel, utm, click_ids, event_count';

export function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    visitorId: row.visitor_id,
    startedAt: row.started_at,
    lastSeenAt: row.last_seen_at,
    landingUrl: row.landing_url,
    referrer: row.referrer,
    channel: row.channel,
    utm: storedJsonObject<Record<string, string>>(row.utm),
    clickIds: storedJsonObject<Record<string, string>>(row.click_ids),
    eventCount: row.event_count,
  };
}
