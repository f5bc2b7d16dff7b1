// Turns claimed inbox rows into one ProcessedBatch: visitors, sessions with channels, events, conversions, identities.
import { classifyChannel, type Item } from '@touchline/core';
import type { InboxRow, ProcessedBatch, SessionUpsert, VisitorUpsert } from '@touchline/storage';
import { parseStoredItem } from './parse-stored-item.js';

interface Parsed { row: InboxRow; item: Item; ts: number }

function hostOf(url: string | null): string | null {
  if (url === null) return null;
  try { return new URL(url).hostname.toLowerCase(); } catch { return null; }
}

/** The row's item, or the reason it can never be processed (a poison row). */
function parseRow(row: InboxRow): Parsed | { row: InboxRow; error: string } {
  let json: unknown;
  try { json = JSON.parse(row.payload); } catch { return { row, error: 'payload is not valid JSON' }; }
  const parsed = parseStoredItem(json);
  if ('error' in parsed) return { row, error: `payload does not match the item schema: ${parsed.error}` };
  if (parsed.item.id !== row.itemId) return { row, error: 'payload id differs from the inbox item id' };
  return { row, item: parsed.item, ts: parsed.ts };
}

/** A landing candidate ranks by: carries a session start, is a pageview, is earliest. */
function betterLanding(a: Parsed, b: Parsed | undefined): boolean {
  if (b === undefined) return true;
  const score = (p: Parsed): number => (p.item.context?.session_start ? 2 : 0) + (p.item.type === 'pageview' ? 1 : 0);
  return score(a) > score(b) || (score(a) === score(b) && a.ts < b.ts);
}

function sessionFrom(accountId: string, id: string, visitorId: string, items: Parsed[], landing: Parsed | undefined): SessionUpsert {
  const ctx = landing?.item.context ?? null;
  const landingUrl = ctx?.url ?? null;
  const channel = ctx === null ? null : classifyChannel({
    utm: ctx.utm, clickIds: ctx.click_ids, referrer: ctx.referrer, landingUrl,
  }).channel;
  const counted = items.filter((p) => p.item.type === 'pageview' || p.item.type === 'event' || p.item.type === 'conversion');
  return {
    accountId, id, visitorId,
    startedAt: Math.min(...items.map((p) => p.ts)),
    lastSeenAt: Math.max(...items.map((p) => p.ts)),
    landingUrl, landingHost: hostOf(landingUrl), referrer: ctx?.referrer ?? null, channel,
    utm: { ...(ctx?.utm ?? {}) }, clickIds: { ...(ctx?.click_ids ?? {}) },
    eventCount: counted.length,
    pageviewCount: items.filter((p) => p.item.type === 'pageview').length,
  };
}

function itemRows(accountId: string, p: Parsed, out: ProcessedBatch): void {
  const { item, ts } = p;
  const common = { accountId, id: item.id, visitorId: item.visitor_id, sessionId: item.session_id, timestamp: ts };
  switch (item.type) {
    case 'pageview':
      out.events.push({ ...common, type: 'pageview', name: null, url: item.context?.url ?? null, properties: '{}' });
      break;
    case 'event':
      out.events.push({ ...common, type: 'event', name: item.name, url: item.context?.url ?? null, properties: JSON.stringify(item.properties) });
      break;
    case 'session_end':
      out.events.push({ ...common, type: 'session_end', name: null, url: item.context?.url ?? null, properties: JSON.stringify({ next_session_id: item.next_session_id }) });
      break;
    case 'conversion':
      out.conversions.push({ ...common, name: item.name, revenue: item.revenue, currency: item.currency, properties: JSON.stringify(item.properties) });
      break;
    case 'identify':
      out.identities.push({ accountId, userId: item.user_id, visitorId: item.visitor_id, timestamp: ts, traits: JSON.stringify(item.traits) });
      break;
  }
}

/**
 * Pure: the same rows always give the same batch, so a retried pass (after a crash) writes the
 * same rows again and the storage upserts make that harmless.
 */
export function processInboxRows(rows: readonly InboxRow[]): ProcessedBatch {
  const out: ProcessedBatch = { visitors: [], sessions: [], events: [], conversions: [], identities: [], done: [], dead: [] };
  const visitors = new Map<string, VisitorUpsert>();
  const sessions = new Map<string, { accountId: string; visitorId: string; items: Parsed[]; landing?: Parsed }>();
  for (const row of rows) {
    const parsed = parseRow(row);
    if ('error' in parsed) { out.dead.push({ seq: row.seq, error: parsed.error }); continue; }
    const { item, ts } = parsed;
    const vKey = `${row.accountId}\u0000${item.visitor_id}`;
    const v = visitors.get(vKey);
    visitors.set(vKey, v
      ? { ...v, firstSeenAt: Math.min(v.firstSeenAt, ts), lastSeenAt: Math.max(v.lastSeenAt, ts) }
      : { accountId: row.accountId, id: item.visitor_id, firstSeenAt: ts, lastSeenAt: ts });
    if (item.session_id !== null && item.type !== 'identify') {
      const sKey = `${row.accountId}\u0000${item.session_id}`;
      const s = sessions.get(sKey) ?? { accountId: row.accountId, visitorId: item.visitor_id, items: [] };
      s.items.push(parsed);
      if (item.context !== null && betterLanding(parsed, s.landing)) s.landing = parsed;
      sessions.set(sKey, s);
    }
    itemRows(row.accountId, parsed, out);
    out.done.push(row.seq);
  }
  out.visitors.push(...visitors.values());
  for (const [key, s] of sessions) {
    out.sessions.push(sessionFrom(s.accountId, key.split('\u0000')[1] ?? '', s.visitorId, s.items, s.landing));
  }
  return out;
}
