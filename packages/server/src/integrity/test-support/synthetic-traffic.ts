// Test support: synthetic sessions as wire items, and ingestion of them through the inbox and the real worker.
import { randomUUID } from 'node:crypto';
import { newId } from '@touchline/core';
import type { InboxItem, Storage } from '@touchline/storage';
import { createCollectorMetrics } from '../../metrics/collector-metrics.js';
import { parseServerSettings } from '../../server-settings.js';
import { createInboxWorker } from '../../workers/inbox-worker.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const SITE = 'https://shop.example';

export interface SyntheticSession {
  visitorId: string;
  sessionId?: string;
  startedAt: number;
  referrer?: string | null;
  /** Adds a conversion to the session. */
  converts?: boolean;
  /** Adds an identify with this user id to the session. */
  userId?: string;
}

/** One session's items as the SDK would send them: a landing pageview, a second pageview and an event. */
export function sessionItems(s: SyntheticSession): InboxItem[] {
  const sessionId = s.sessionId ?? randomUUID();
  const context = (path: string, referrer: string | null) => ({
    url: `${SITE}${path}`,
    referrer,
    user_agent: 'test',
    ip: null,
    utm: {},
    click_ids: {},
    session_start: null,
  });
  const base = (at: number) => ({
    id: newId(at),
    timestamp: new Date(at).toISOString(),
    visitor_id: s.visitorId,
    session_id: sessionId,
  });
  const items: Array<Record<string, unknown> & { id: string; type: string }> = [
    { type: 'pageview', ...base(s.startedAt), context: context('/landing', s.referrer ?? null) },
    { type: 'pageview', ...base(s.startedAt + 10_000), context: context('/product', `${SITE}/landing`) },
    { type: 'event', ...base(s.startedAt + 15_000), context: null, name: 'add_to_cart', properties: {} },
  ];
  if (s.userId !== undefined)
    items.push({ type: 'identify', ...base(s.startedAt + 12_000), context: null, user_id: s.userId, traits: {} });
  if (s.converts === true) {
    items.push({
      type: 'conversion',
      ...base(s.startedAt + 20_000),
      context: null,
      name: 'purchase',
      revenue: 10,
      currency: 'EUR',
      properties: {},
    });
  }
  return items.map((item) => ({ itemId: item.id, type: item.type, payload: JSON.stringify(item) }));
}

/**
 * Clean traffic: `sessions` sessions evenly spread over the 7 days before `now`; every third of the
 * first half's visitors comes back 3.5 days later (about 1.2 sessions per visitor), one session in
 * ten converts and signs in (a user id of its own), referrers are search, none or (one in twenty) the site itself.
 */
export function cleanTraffic(now: number, sessions = 700): SyntheticSession[] {
  const step = (7 * DAY) / sessions;
  const half = Math.floor(sessions / 2);
  const visitors: string[] = [];
  const out: SyntheticSession[] = [];
  for (let k = 0; k < sessions; k++) {
    const returning = k >= half && (k - half) % 3 === 0;
    const visitorId = returning ? (visitors[k - half] as string) : randomUUID();
    visitors.push(visitorId);
    const referrer = k % 20 === 0 ? `${SITE}/blog` : k % 2 === 0 ? 'https://www.google.com/' : null;
    const converts = k % 10 === 0;
    out.push({
      visitorId,
      startedAt: Math.round(now - 7 * DAY + (k + 0.5) * step),
      referrer,
      converts,
      ...(converts ? { userId: `user-${visitorId}` } : {}),
    });
  }
  return out;
}

/** Writes the sessions' items to the inbox and drains it with the real inbox worker. */
export async function ingest(
  storage: Storage,
  accountId: string,
  sessions: readonly SyntheticSession[],
  now: number,
): Promise<void> {
  const items = sessions.flatMap(sessionItems);
  for (let i = 0; i < items.length; i += 500) await storage.insertInbox(accountId, items.slice(i, i + 500), now);
  const errors: Error[] = [];
  const worker = createInboxWorker({
    storage,
    settings: parseServerSettings({}),
    metrics: createCollectorMetrics(storage, () => now),
    now: () => now,
    onError: (e) => errors.push(e),
  });
  await worker.drain();
  if (errors.length > 0) throw errors[0];
  const health = await storage.inboxHealth();
  if (health.pending !== 0 || health.dead !== 0)
    throw new Error(`inbox not drained cleanly: ${JSON.stringify(health)}`);
}
