// Turns claimed inbox rows into one ProcessedBatch: visitors, sessions with channels, events, conversions, identities.
import { campaignOfContext, classifyChannel, ok, type Item, type Result } from '@touchline/core';
import { landingBeats } from '@touchline/storage';
import type {
  EventRow,
  InboxRow,
  LandingKey,
  ProcessedBatch,
  SessionLanding,
  SessionUpsert,
  VisitorUpsert,
} from '@touchline/storage';
import { decodeStoredItem } from './stored-item-codec.js';

interface Parsed {
  row: InboxRow;
  item: Item;
  ts: number;
}
/** One session's items in this pass. Sessions are keyed by account, visitor and id, as in storage. */
interface SessionGroup {
  accountId: string;
  visitorId: string;
  sessionId: string;
  items: Parsed[];
  /** The best landing candidate so far and its order key; its landing unit is built once, for the winner. */
  landing: { key: LandingKey; from: Parsed } | null;
}

function hostOf(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** The row's item, or the reason it can never be processed (a poison row). */
function parseRow(row: InboxRow): Result<Parsed> {
  const decoded = decodeStoredItem(row);
  return decoded.kind === 'err' ? decoded : ok({ row, item: decoded.value.item, ts: decoded.value.ts });
}

/**
 * The wire contract's landing rule: the item that carries `session_start` is its session's landing,
 * a pageview before any other item, the earliest before later ones (ties: the smallest item id).
 * Rank 2 for a session start plus 1 for a pageview; landing-order.ts compares.
 */
function landingRank(item: Item): number {
  return (item.context?.session_start ? 2 : 0) + (item.type === 'pageview' ? 1 : 0);
}

/**
 * The landing unit a candidate (an item with request context) gives its session. Its campaign is
 * the sender's utm and click ids, or, when the sender sent none (raw API users), those of its URL.
 */
function landingOf(key: LandingKey, { item }: Parsed): SessionLanding | null {
  const ctx = item.context;
  if (ctx === null) return null;
  const url = ctx.url ?? null;
  const { utm, clickIds } = campaignOfContext(ctx);
  return {
    ...key,
    url,
    host: hostOf(url),
    referrer: ctx.referrer ?? null,
    channel: classifyChannel({ utm, clickIds, referrer: ctx.referrer, landingUrl: url }).channel,
    utm,
    clickIds,
  };
}

function sessionFrom(group: SessionGroup): SessionUpsert {
  let startedAt = Infinity;
  let lastSeenAt = -Infinity;
  let eventCount = 0;
  let pageviewCount = 0;
  for (const { item, ts } of group.items) {
    if (ts < startedAt) startedAt = ts;
    if (ts > lastSeenAt) lastSeenAt = ts;
    if (item.type === 'pageview') pageviewCount += 1;
    if (item.type === 'pageview' || item.type === 'event' || item.type === 'conversion') eventCount += 1;
  }
  return {
    accountId: group.accountId,
    id: group.sessionId,
    visitorId: group.visitorId,
    startedAt,
    lastSeenAt,
    landing: group.landing === null ? null : landingOf(group.landing.key, group.landing.from),
    eventCount,
    pageviewCount,
  };
}

/** An events row; literal objects of one shape (no spreads): this runs once per item. */
function eventRow(accountId: string, p: Parsed, type: string, name: string | null, properties: string): EventRow {
  const { item } = p;
  return {
    accountId,
    id: item.id,
    type,
    name,
    visitorId: item.visitor_id,
    sessionId: item.session_id,
    timestamp: p.ts,
    url: item.context?.url ?? null,
    properties,
  };
}

function itemRows(accountId: string, p: Parsed, out: ProcessedBatch): void {
  const { item, ts } = p;
  switch (item.type) {
    case 'pageview':
      out.events.push(eventRow(accountId, p, 'pageview', null, '{}'));
      break;
    case 'event':
      out.events.push(eventRow(accountId, p, 'event', item.name, JSON.stringify(item.properties)));
      break;
    case 'session_end':
      out.events.push(
        eventRow(accountId, p, 'session_end', null, JSON.stringify({ next_session_id: item.next_session_id })),
      );
      break;
    case 'conversion':
      out.conversions.push({
        accountId,
        id: item.id,
        name: item.name,
        visitorId: item.visitor_id,
        sessionId: item.session_id,
        timestamp: ts,
        revenue: item.revenue,
        currency: item.currency,
        properties: JSON.stringify(item.properties),
      });
      break;
    case 'identify':
      out.identities.push({
        accountId,
        userId: item.user_id,
        visitorId: item.visitor_id,
        timestamp: ts,
        traits: JSON.stringify(item.traits),
        traitsAt: ts,
      });
      break;
    case 'alias':
      // Applied by storage in the same transaction: the ghost's rows move, whichever came first (apply-aliases.ts).
      out.aliases.push({
        accountId,
        ghostId: item.previous_id,
        canonicalId: item.visitor_id,
        ghostSessionId: item.previous_session_id,
        canonicalSessionId: item.previous_session_id === null ? null : item.session_id,
      });
      break;
  }
}

/**
 * Pure: the same rows always give the same batch, so a retried pass (after a crash) writes the
 * same rows again and the storage upserts make that harmless. Every field merges the way storage
 * merges it (min/max, sums, landing order, latest traits), so one pass over a session's items and
 * many passes over any partition of them store the same rows (DESIGN.md L12).
 */
export function processInboxRows(rows: readonly InboxRow[]): ProcessedBatch {
  const out: ProcessedBatch = {
    visitors: [],
    sessions: [],
    events: [],
    conversions: [],
    identities: [],
    aliases: [],
    done: [],
    dead: [],
  };
  const visitors = new Map<string, VisitorUpsert>();
  const sessions = new Map<string, SessionGroup>();
  for (const row of rows) {
    const result = parseRow(row);
    if (result.kind === 'err') {
      out.dead.push({ seq: row.seq, error: result.error });
      continue;
    }
    const parsed = result.value;
    const { item, ts } = parsed;
    if (item.type === 'alias') {
      // An alias is about two visitors, not an activity of one: it creates no visitor or session row.
      itemRows(row.accountId, parsed, out);
      out.done.push(row.seq);
      continue;
    }
    const vKey = `${row.accountId}\u0000${item.visitor_id}`;
    const v = visitors.get(vKey);
    if (v === undefined)
      visitors.set(vKey, { accountId: row.accountId, id: item.visitor_id, firstSeenAt: ts, lastSeenAt: ts });
    else if (ts < v.firstSeenAt) v.firstSeenAt = ts;
    else if (ts > v.lastSeenAt) v.lastSeenAt = ts;
    if (item.session_id !== null && item.type !== 'identify') {
      const sKey = `${vKey}\u0000${item.session_id}`;
      let s = sessions.get(sKey);
      if (s === undefined) {
        s = {
          accountId: row.accountId,
          visitorId: item.visitor_id,
          sessionId: item.session_id,
          items: [],
          landing: null,
        };
        sessions.set(sKey, s);
      }
      s.items.push(parsed);
      if (item.context !== null) {
        const key: LandingKey = { rank: landingRank(item), at: ts, itemId: item.id };
        if (landingBeats(key, s.landing?.key ?? null)) s.landing = { key, from: parsed };
      }
    }
    itemRows(row.accountId, parsed, out);
    out.done.push(row.seq);
  }
  for (const v of visitors.values()) out.visitors.push(v);
  for (const s of sessions.values()) out.sessions.push(sessionFrom(s));
  return out;
}
