// Generated traffic for the rollup differential test: sessions with competing landings, conversions with revenue, replays, in shuffled batches.
import type { ConversionRow, EventRow, ProcessedBatch, SessionUpsert, VisitorUpsert } from '../storage.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A small deterministic PRNG (mulberry32), so a fast-check seed replays the same traffic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const URLS = [
  'https://shop.example/', 'https://shop.example/?utm_source=news', 'https://shop.example/pricing?utm_campaign=x#top',
  'https://shop.example/blog/post-1', 'http://shop.example/Blog/Post-1?ref=a', 'shop.example/no-scheme', 'https://shop.example',
  'https://shop.example/caf%C3%A9/', 'https://shop.example/a?b=/c',
];
const REFERRERS = [null, '', 'https://www.google.com/search?q=x', 'https://News.Example/article', 'https://shop.example/pricing',
  'android-app://com.slack', 'https://t.co/abc', 'weird-no-host', 'https://:8080/'];
const CHANNELS = [null, 'direct', 'organic_search', 'email', 'referral', 'paid_search', 'social'];
const REVENUES = [null, 19.99, 0.1, 0.2, 1234567.891234, 5, 99.999999, 0.000001, 10.005, -3.3];

export interface Traffic { batches: ProcessedBatch[]; from: number; to: number }

/** One item's writes: a session merge (unless sessionless), its visitor, and an event or a conversion. */
interface ItemWrites { visitor: VisitorUpsert; session: SessionUpsert | null; event: EventRow | null; conversion: ConversionRow | null }

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function shuffle<T>(rand: () => number, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}

function itemsOfSession(rand: () => number, accountId: string, visitorId: string, sessionId: string, start: number): ItemWrites[] {
  const out: ItemWrites[] = [];
  let t = start;
  const count = 1 + Math.floor(rand() * 6);
  for (let n = 0; n < count; n++) {
    const id = `${sessionId}-i${n}`;
    const pageview = rand() < 0.7;
    const conversion = rand() < 0.15;
    const withContext = rand() < 0.8;
    const session: SessionUpsert = {
      accountId, id: sessionId, visitorId, startedAt: t, lastSeenAt: t, eventCount: conversion ? 0 : 1, pageviewCount: pageview && !conversion ? 1 : 0,
      landing: withContext ? {
        rank: (n === 0 && rand() < 0.8 ? 2 : 0) + (pageview ? 1 : 0), at: t, itemId: id,
        url: pick(rand, URLS), host: 'shop.example', referrer: pick(rand, REFERRERS), channel: pick(rand, CHANNELS), utm: {}, clickIds: {},
      } : null,
    };
    out.push({
      visitor: { accountId, id: visitorId, firstSeenAt: t, lastSeenAt: t },
      session,
      event: conversion ? null : { accountId, id, type: pageview ? 'pageview' : 'event', name: null, visitorId, sessionId, timestamp: t, url: null, properties: '{}' },
      conversion: conversion ? { accountId, id, name: 'purchase', visitorId, sessionId: rand() < 0.8 ? sessionId : null, timestamp: t, revenue: pick(rand, REVENUES), currency: 'EUR', properties: '{}' } : null,
    });
    t += Math.floor(rand() * 40 * MINUTE);
  }
  return out;
}

/**
 * Several visitors with several sessions each over ~2.5 days from `base`, items spread so sessions
 * cross hour boundaries; a few sessionless events; every item applied in shuffled order across
 * 1-8 batches (so a better landing or an earlier start often arrives late), and some event and
 * conversion rows sent again in a later batch (a replay writes nothing). Visitor ids are
 * `${visitorPrefix}v<n>`, and every session and item id starts with its visitor's id.
 */
export function generateTraffic(seed: number, accountId: string, base: number, visitorPrefix = ''): Traffic {
  const rand = prng(seed);
  const items: ItemWrites[] = [];
  const visitors = 2 + Math.floor(rand() * 6);
  for (let v = 0; v < visitors; v++) {
    const sessions = 1 + Math.floor(rand() * 4);
    for (let s = 0; s < sessions; s++) {
      items.push(...itemsOfSession(rand, accountId, `${visitorPrefix}v${v}`, `${visitorPrefix}v${v}-s${s}`, base + Math.floor(rand() * 60 * HOUR)));
    }
    if (rand() < 0.3) {
      const t = base + Math.floor(rand() * 60 * HOUR);
      items.push({ visitor: { accountId, id: `${visitorPrefix}v${v}`, firstSeenAt: t, lastSeenAt: t }, session: null, conversion: null,
        event: { accountId, id: `${visitorPrefix}v${v}-loose`, type: 'event', name: 'server', visitorId: `${visitorPrefix}v${v}`, sessionId: null, timestamp: t, url: null, properties: '{}' } });
    }
  }
  shuffle(rand, items);
  const parts = 1 + Math.floor(rand() * 8);
  const batches: ProcessedBatch[] = Array.from({ length: parts }, () => ({ visitors: [], sessions: [], events: [], conversions: [], identities: [], done: [], dead: [] }));
  items.forEach((item, i) => {
    const b = batches[Math.floor((i * parts) / items.length)] as ProcessedBatch;
    b.visitors.push(item.visitor);
    if (item.session !== null) b.sessions.push(item.session);
    if (item.event !== null) b.events.push(item.event);
    if (item.conversion !== null) b.conversions.push(item.conversion);
    if (rand() < 0.1) {
      const later = batches[Math.floor(rand() * parts)] as ProcessedBatch;
      if (item.event !== null) later.events.push(item.event);
      if (item.conversion !== null) later.conversions.push(item.conversion);
    }
  });
  return { batches, from: base, to: base + 63 * HOUR };
}
