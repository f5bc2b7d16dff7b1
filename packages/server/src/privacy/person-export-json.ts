// The JSON a data-subject access request returns: stored rows with ISO times, inbox items decoded as the item objects they were sent as.
import type { PersonExport } from '@touchline/storage';
import { decodeStoredItem } from '../pipeline/stored-item-codec.js';

type Row = Record<string, unknown>;

/** Epoch-ms columns (`*_at`) as ISO strings, everything else as stored. */
function withIsoTimes(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row))
    out[k === 'occurred_at' ? 'timestamp' : k] =
      k.endsWith('_at') && typeof v === 'number' ? new Date(v).toISOString() : v;
  return out;
}

export function personExportJson(subject: { kind: 'visitor' | 'user'; id: string }, data: PersonExport, now: number) {
  return {
    subject: { kind: subject.kind, id: subject.id },
    generated_at: new Date(now).toISOString(),
    visitor_ids: data.visitorIds,
    user_ids: data.userIds,
    visitors: data.visitors.map(withIsoTimes),
    identities: data.identities.map(withIsoTimes),
    sessions: data.sessions.map(withIsoTimes),
    events: data.events.map(withIsoTimes),
    conversions: data.conversions.map(withIsoTimes),
    // What the collector received, as received (IPs already truncated unless storeFullIp): the
    // request context (user agent, IP, referrer) lives only here.
    received_items: data.inbox.map((r) => {
      const decoded = decodeStoredItem(r);
      return {
        item_id: r.itemId,
        type: r.type,
        state: r.state,
        received_at: new Date(r.receivedAt).toISOString(),
        item: decoded.kind === 'err' ? { unreadable: decoded.error, stored: r.payload } : decoded.value.item,
      };
    }),
  };
}
