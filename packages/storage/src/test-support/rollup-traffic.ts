// Generated traffic for the rollup differential test: sessions with competing landings, conversions with revenue, racing ghosts and their aliases, replays, in shuffled batches.
import type {
  ConversionRow,
  EventRow,
  ProcessedBatch,
  SessionUpsert,
  VisitorAlias,
  VisitorUpsert,
} from '../storage.js';

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
  'https://shop.example/',
  'https://shop.example/?utm_source=news',
  'https://shop.example/pricing?utm_campaign=x#top',
  'https://shop.example/blog/post-1',
  'http://shop.example/Blog/Post-1?ref=a',
  'shop.example/no-scheme',
  'https://shop.example',
  'https://shop.example/caf%C3%A9/',
  'https://shop.example/a?b=/c',
];
const REFERRERS = [
  null,
  '',
  'https://www.google.com/search?q=x',
  'https://News.Example/article',
  'https://shop.example/pricing',
  'android-app://com.slack',
  'https://t.co/abc',
  'weird-no-host',
  'https://:8080/',
];
const CHANNELS = [null, 'direct', 'organic_search', 'email', 'referral', 'paid_search', 'social'];
/** Landing utm: none, some or all of source / medium / campaign, an empty value, non-ASCII and case-only differences. */
const UTMS: ReadonlyArray<Record<string, string>> = [
  {},
  {},
  { utm_source: 'news' },
  { utm_source: 'news', utm_medium: 'email', utm_campaign: 'spring' },
  { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'Shoes' },
  { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'shoes' },
  { utm_campaign: 'spring' },
  { utm_source: '', utm_medium: 'social' },
  { utm_source: 'Bücher', utm_campaign: 'été 2026' },
];
const REVENUES = [null, 19.99, 0.1, 0.2, 1234567.891234, 5, 99.999999, 0.000001, 10.005, -3.3];

export interface Traffic {
  batches: ProcessedBatch[];
  from: number;
  to: number;
}

/**
 * One item's writes: a session merge (unless sessionless), its visitor, and an event or a
 * conversion; or an alias, which writes no visitor or session of its own (process-inbox-rows.ts).
 */
interface ItemWrites {
  visitor: VisitorUpsert | null;
  session: SessionUpsert | null;
  event: EventRow | null;
  conversion: ConversionRow | null;
  alias?: VisitorAlias;
}

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

function itemsOfSession(
  rand: () => number,
  accountId: string,
  visitorId: string,
  sessionId: string,
  start: number,
): ItemWrites[] {
  const out: ItemWrites[] = [];
  let t = start;
  const count = 1 + Math.floor(rand() * 6);
  for (let n = 0; n < count; n++) {
    const id = `${sessionId}-i${n}`;
    const pageview = rand() < 0.7;
    const conversion = rand() < 0.15;
    const withContext = rand() < 0.8;
    const session: SessionUpsert = {
      accountId,
      id: sessionId,
      visitorId,
      startedAt: t,
      lastSeenAt: t,
      eventCount: conversion ? 0 : 1,
      pageviewCount: pageview && !conversion ? 1 : 0,
      landing: withContext
        ? {
            rank: (n === 0 && rand() < 0.8 ? 2 : 0) + (pageview ? 1 : 0),
            at: t,
            itemId: id,
            url: pick(rand, URLS),
            host: 'shop.example',
            referrer: pick(rand, REFERRERS),
            channel: pick(rand, CHANNELS),
            utm: pick(rand, UTMS),
            clickIds: {},
          }
        : null,
    };
    out.push({
      visitor: { accountId, id: visitorId, firstSeenAt: t, lastSeenAt: t },
      session,
      event: conversion
        ? null
        : {
            accountId,
            id,
            type: pageview ? 'pageview' : 'event',
            name: null,
            visitorId,
            sessionId,
            timestamp: t,
            url: null,
            properties: '{}',
          },
      conversion: conversion
        ? {
            accountId,
            id,
            name: 'purchase',
            visitorId,
            sessionId: rand() < 0.8 ? sessionId : null,
            timestamp: t,
            revenue: pick(rand, REVENUES),
            currency: 'EUR',
            properties: '{}',
          }
        : null,
    });
    t += Math.floor(rand() * 40 * MINUTE);
  }
  return out;
}

function looseEvent(accountId: string, visitorId: string, t: number): ItemWrites {
  return {
    visitor: { accountId, id: visitorId, firstSeenAt: t, lastSeenAt: t },
    session: null,
    conversion: null,
    event: {
      accountId,
      id: `${visitorId}-loose`,
      type: 'event',
      name: 'server',
      visitorId,
      sessionId: null,
      timestamp: t,
      url: null,
      properties: '{}',
    },
  };
}

function aliasItem(accountId: string, ghostId: string, canonicalId: string, sessions: boolean): ItemWrites {
  return {
    visitor: null,
    session: null,
    event: null,
    conversion: null,
    alias: {
      accountId,
      ghostId,
      canonicalId,
      ghostSessionId: sessions ? `${ghostId}-s0` : null,
      canonicalSessionId: sessions ? `${canonicalId}-s0` : null,
    },
  };
}

/**
 * Racing first navigations (DESIGN.md L10): ghosts `<v>a` (and `<v>b`) of visitor `<v>`, whose first
 * session starts within minutes of the visitor's (often in another hour), some with a later session
 * of their own, and the aliases the SDK sends: `a -> v`, or for three tabs a chain `b -> a`, `a -> v`
 * (with or without `b -> v`). Ids sort as the SDK's canonical rule needs (v < va < vb). The aliases
 * are shuffled in with the ghosts' items, so they arrive before, between and after them.
 */
function ghostsOf(rand: () => number, accountId: string, visitorId: string, start: number): ItemWrites[] {
  const out: ItemWrites[] = [];
  const ghosts = rand() < 0.6 ? [`${visitorId}a`] : [`${visitorId}a`, `${visitorId}b`];
  for (const ghost of ghosts) {
    out.push(
      ...itemsOfSession(rand, accountId, ghost, `${ghost}-s0`, start + Math.floor((rand() - 0.5) * 20 * MINUTE)),
    );
    if (rand() < 0.3)
      out.push(...itemsOfSession(rand, accountId, ghost, `${ghost}-s1`, start + Math.floor(rand() * 40 * HOUR)));
    if (rand() < 0.2) out.push(looseEvent(accountId, ghost, start + Math.floor(rand() * 40 * HOUR)));
  }
  const merge = rand() < 0.8; // an alias without sessions moves the ghost's sessions as sessions of their own
  const [a, b] = ghosts as [string, string | undefined];
  out.push(aliasItem(accountId, a, visitorId, merge));
  if (b !== undefined) {
    out.push(aliasItem(accountId, b, a, merge));
    if (rand() < 0.5) out.push(aliasItem(accountId, b, visitorId, merge));
  }
  return out;
}

/**
 * Several visitors with several sessions each over ~2.5 days from `base`, items spread so sessions
 * cross hour boundaries; a few sessionless events; ghosts of racing first navigations with their
 * aliases (ghostsOf); every item applied in shuffled order across 1-8 batches (so a better landing,
 * an earlier start or an alias often arrives late), and some event, conversion and alias rows sent
 * again in a later batch (a replay writes nothing). Visitor ids are `${visitorPrefix}v<n>` (ghosts
 * `${visitorPrefix}v<n>a`, `...b`), and every session and item id starts with its visitor's id.
 */
export function generateTraffic(seed: number, accountId: string, base: number, visitorPrefix = ''): Traffic {
  const rand = prng(seed);
  const items: ItemWrites[] = [];
  const visitors = 2 + Math.floor(rand() * 6);
  for (let v = 0; v < visitors; v++) {
    const sessions = 1 + Math.floor(rand() * 4);
    const vid = `${visitorPrefix}v${v}`;
    const starts = Array.from({ length: sessions }, () => base + Math.floor(rand() * 60 * HOUR));
    for (const [s, start] of starts.entries())
      items.push(...itemsOfSession(rand, accountId, vid, `${vid}-s${s}`, start));
    if (rand() < 0.3) items.push(looseEvent(accountId, vid, base + Math.floor(rand() * 60 * HOUR)));
    if (rand() < 0.5) items.push(...ghostsOf(rand, accountId, vid, starts[0] as number));
  }
  shuffle(rand, items);
  const parts = 1 + Math.floor(rand() * 8);
  const batches: ProcessedBatch[] = Array.from({ length: parts }, () => ({
    visitors: [],
    sessions: [],
    events: [],
    conversions: [],
    identities: [],
    aliases: [],
    done: [],
    dead: [],
  }));
  items.forEach((item, i) => {
    const b = batches[Math.floor((i * parts) / items.length)] as ProcessedBatch;
    if (item.visitor !== null) b.visitors.push(item.visitor);
    if (item.session !== null) b.sessions.push(item.session);
    if (item.event !== null) b.events.push(item.event);
    if (item.conversion !== null) b.conversions.push(item.conversion);
    if (item.alias !== undefined) b.aliases.push(item.alias);
    if (rand() < 0.1) {
      const later = batches[Math.floor(rand() * parts)] as ProcessedBatch;
      if (item.event !== null) later.events.push(item.event);
      if (item.conversion !== null) later.conversions.push(item.conversion);
      if (item.alias !== undefined) later.aliases.push(item.alias);
    }
  });
  return { batches, from: base, to: base + 63 * HOUR };
}
