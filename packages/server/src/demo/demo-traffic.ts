// streamDemoTraffic: a realistic, deterministic synthetic data set as the wire items an SDK would send (channels, campaigns, devices, purchases), produced in time order with bounded memory.
import type { InboxItem } from '@touchline/storage';
import { DEMO_SOURCES, type DemoSource, type Landing } from './demo-sources.js';
import { createTimeQueue, type TimeQueue } from './time-queue.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** People are simulated from this long before the window, so returning visitors are there from its first day. */
const WARM_UP_DAYS = 21;
/** Visits by hour of day (UTC): quiet nights, a lunch bump, a long evening; the peak is about 1.7x the mean. */
const HOUR_WEIGHTS = [2, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 7, 8, 7, 6, 6, 6, 7, 8, 9, 9, 8, 6, 4];
/** Sunday first (getUTCDay); weekends are a bit quieter (mild, so day-on-day change stays inside the event-volume check's band). */
const WEEKDAY_FACTOR = [0.9, 1.04, 1.04, 1, 1, 0.97, 0.9];
const PAGES = [
  '/shoes',
  '/shoes/trail-runner',
  '/shoes/road-racer',
  '/socks',
  '/sale',
  '/blog/how-to-choose',
  '/about',
];
const AGENTS = {
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  mobile:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
};

/**
 * How the shop behaves. `shop` (the default) is a busy small shop whose reports fill up quickly: a
 * fifth of people on two devices, purchases in ~4% of sessions. `realistic` is closer to a typical
 * e-commerce site: ~5% of visitors on a second device and ~1.5% of visitors buying.
 */
export type DemoMix = 'shop' | 'realistic';

interface MixParameters {
  /** Share of people with a second device. */
  twoDevices: number;
  /**
   * Whether someone with two devices comes back at least once, on the second device, and signs in
   * on every visit (so both devices are linked by identify); otherwise they sign in on a fifth of them.
   */
  linkDevices: boolean;
  /** Purchase chance of a session before the source's lift and the returning-visitor factor. */
  buyRate: number;
}

const MIXES: Record<DemoMix, MixParameters> = {
  shop: { twoDevices: 0.2, linkDevices: false, buyRate: 0.035 },
  // People on two devices visit on both (unless the window cuts them off): ~5% of visitors are linked to a second device.
  realistic: { twoDevices: 0.045, linkDevices: true, buyRate: 0.009 },
};

export interface DemoTrafficOptions {
  seed: number;
  /** Days of history ending at `now`. */
  days: number;
  now: number;
  /** Average sessions a day. @default 500 */
  sessionsPerDay?: number;
  /** @default 'https://shop.example' */
  site?: string;
  /** @default 'shop' */
  mix?: DemoMix;
}

export interface DemoCounts {
  people: number;
  visitors: number;
  sessions: number;
  pageviews: number;
  events: number;
  conversions: number;
  identifies: number;
  revenue: number;
}

export interface DemoTraffic {
  items: InboxItem[];
  counts: DemoCounts;
}

/** Items in time order, made as they are read; `counts` is complete once `items` has been read to its end. */
export interface DemoStream {
  items: Iterable<InboxItem>;
  counts: DemoCounts;
  from: number;
  to: number;
}

interface Device {
  visitorId: string;
  agent: string;
  sessions: number;
  counted: boolean;
}
interface Person {
  userId: string;
  devices: Device[];
  customer: boolean;
  counted: boolean;
}
type Body = Record<string, unknown> & { type: string };
/** A finished item waiting for its time; `revenue` is kept beside the JSON for the counts. */
interface Draft {
  type: string;
  itemId: string;
  payload: string;
  revenue: number;
}

interface Ctx {
  rng: SeededRandom;
  mix: MixParameters;
  site: string;
  from: number;
  now: number;
  queue: TimeQueue<Draft>;
  counts: DemoCounts;
}

/** A time on the day containing `at`, drawn from the hour-of-day profile. */
function timeOfDay(rng: SeededRandom, at: number): number {
  const hour = rng.weighted(HOUR_WEIGHTS.map((w, h) => [h, w] as const));
  return Math.floor(at / DAY) * DAY + hour * HOUR + rng.int(0, HOUR - 1);
}

interface Pending {
  at: number;
  draft: Draft;
}

/** `out` is null for a visit that is simulated but not kept (before the window): its draws are made, its JSON is not. */
function push(ctx: Ctx, out: Pending[] | null, at: number, device: Device, sessionId: string, body: Body): void {
  const id = ctx.rng.uuid7(at);
  // The visit is cut at `now`: the rest has not happened yet.
  if (out === null || at >= ctx.now) return;
  const item = {
    id,
    timestamp: new Date(at).toISOString(),
    visitor_id: device.visitorId,
    session_id: sessionId,
    context: null,
    ...body,
  };
  out.push({
    at,
    draft: {
      type: body.type,
      itemId: id,
      payload: JSON.stringify(item),
      revenue: typeof body.revenue === 'number' ? body.revenue : 0,
    },
  });
}

function pageContext(
  device: Device,
  url: string,
  referrer: string | null,
  landing: Landing | null,
  start: string | null,
) {
  return {
    url,
    referrer,
    user_agent: device.agent,
    ip: null,
    utm: landing?.utm ?? {},
    click_ids: landing?.clickIds ?? {},
    session_start: start,
  };
}

/** One visit: a landing pageview, a few more pages, maybe a cart, maybe a purchase (with identify), maybe a login. */
function visit(ctx: Ctx, person: Person, device: Device, start: number, source: DemoSource): void {
  const { rng, site } = ctx;
  const sessionId = rng.uuid7(start);
  const landing = source.land(rng);
  const first = rng.pick(['/', '/', ...PAGES]);
  let url = `${site}${first}${landing.query === '' ? '' : `?${landing.query}`}`;
  const reason = device.sessions === 0 ? 'new_visitor' : landing.query !== '' ? 'campaign' : 'expired';
  device.sessions += 1;
  // Visits before the window are simulated (so visitors return) but not kept.
  const kept = start >= ctx.from && start < ctx.now;
  const out: Pending[] | null = kept ? [] : null;
  let at = start;
  push(ctx, out, at, device, sessionId, {
    type: 'pageview',
    context: pageContext(device, url, landing.referrer, landing, reason),
  });
  for (let p = rng.int(0, 4); p > 0; p--) {
    at += rng.int(15, 180) * 1000;
    const next = `${site}${rng.pick(PAGES)}`;
    push(ctx, out, at, device, sessionId, { type: 'pageview', context: pageContext(device, next, url, null, null) });
    url = next;
  }
  const buys = rng.chance(Math.min(0.5, ctx.mix.buyRate * source.lift * (device.sessions > 1 ? 1.8 : 1)));
  if (buys || rng.chance(0.2)) {
    at += rng.int(10, 60) * 1000;
    push(ctx, out, at, device, sessionId, {
      type: 'event',
      name: 'add_to_cart',
      properties: { sku: rng.pick(['TR-42', 'RR-7', 'SK-3']) },
    });
  }
  if (buys) purchase(ctx, out, person, device, sessionId, at);
  else if (
    (person.customer && rng.chance(0.5)) ||
    (person.devices.length > 1 && (ctx.mix.linkDevices || rng.chance(0.2)))
  ) {
    // A customer signs in, or someone who uses two devices signs up: the identify that links this device to the person.
    push(ctx, out, at + 5000, device, sessionId, { type: 'identify', user_id: person.userId, traits: {} });
  }
  if (out === null) return;
  for (const p of out) ctx.queue.add(p.at, p.draft);
  ctx.counts.sessions += 1;
  if (!device.counted) {
    device.counted = true;
    ctx.counts.visitors += 1;
  }
  if (!person.counted) {
    person.counted = true;
    ctx.counts.people += 1;
  }
}

function purchase(
  ctx: Ctx,
  out: Pending[] | null,
  person: Person,
  device: Device,
  sessionId: string,
  after: number,
): void {
  const { rng } = ctx;
  const at = after + rng.int(30, 240) * 1000;
  const revenue = Math.round((25 + rng.next() ** 2 * 220) * 100) / 100;
  push(ctx, out, at - 1000, device, sessionId, {
    type: 'identify',
    user_id: person.userId,
    traits: { plan: 'customer' },
  });
  push(ctx, out, at, device, sessionId, {
    type: 'conversion',
    name: 'purchase',
    revenue,
    currency: 'EUR',
    properties: { items: rng.int(1, 3) },
  });
  person.customer = true;
}

/** A visit still to come: the `n`-th (from 0) of a person, made when its time comes. */
interface Visit {
  person: Person | null;
  n: number;
}

/** A new person, made at their first visit. */
function newPerson(ctx: Ctx, index: number, firstAt: number): Person {
  const { rng } = ctx;
  const devices: Device[] = [
    {
      visitorId: rng.uuid7(firstAt),
      agent: rng.chance(0.55) ? AGENTS.mobile : AGENTS.desktop,
      sessions: 0,
      counted: false,
    },
  ];
  if (rng.chance(ctx.mix.twoDevices))
    devices.push({ visitorId: rng.uuid7(firstAt + DAY), agent: AGENTS.desktop, sessions: 0, counted: false });
  return { userId: `user-${index + 1}`, devices, customer: false, counted: false };
}

/** One visit of a person on one of their devices; returns when they come back (a day or more later), or null. */
function personVisit(ctx: Ctx, p: Person, n: number, at: number): number | null {
  const { rng } = ctx;
  const { devices } = p;
  const secondDevice = ctx.mix.linkDevices && n === 1 && devices.length > 1;
  const device = n === 0 ? (devices[0] as Device) : secondDevice ? (devices[1] as Device) : rng.pick(devices);
  const sources = DEMO_SOURCES.map((s) => [s, n === 0 ? s.firstWeight : s.returnWeight] as const);
  visit(ctx, p, device, at, rng.weighted(sources));
  const returnsOnSecond = ctx.mix.linkDevices && n === 0 && devices.length > 1;
  if (n + 1 >= 6 || (!returnsOnSecond && !rng.chance(0.33))) return null;
  const next = timeOfDay(rng, at + DAY + rng.next() * rng.next() * 12 * DAY);
  return next < ctx.now ? next : null;
}

function emptyCounts(): DemoCounts {
  return { people: 0, visitors: 0, sessions: 0, pageviews: 0, events: 0, conversions: 0, identifies: 0, revenue: 0 };
}

/** Counts an item as it leaves, and gives it out as the inbox item an SDK batch would carry. */
function emit(counts: DemoCounts, draft: Draft): InboxItem {
  if (draft.type === 'pageview') counts.pageviews += 1;
  else if (draft.type === 'event') counts.events += 1;
  else if (draft.type === 'identify') counts.identifies += 1;
  else if (draft.type === 'conversion') {
    counts.conversions += 1;
    counts.revenue += draft.revenue;
  }
  return { itemId: draft.itemId, type: draft.type, payload: draft.payload };
}

/**
 * A simulation in time order: each day's first visits are drawn up front, and every visit, when its
 * time comes, makes its items and schedules the person's return. An item is handed out once no
 * visit still to come can start before it, so memory holds the returns still ahead (a small record
 * each) and the items of the visits under way, whatever the number of days.
 */
function* produce(
  options: DemoTrafficOptions,
  from: number,
  counts: DemoCounts,
): Generator<InboxItem, void, undefined> {
  const ctx: Ctx = {
    rng: createSeededRandom(options.seed),
    mix: MIXES[options.mix ?? 'shop'],
    site: options.site ?? 'https://shop.example',
    from,
    now: options.now,
    queue: createTimeQueue<Draft>(),
    counts,
  };
  const visits = createTimeQueue<Visit>();
  // About 1.45 sessions a person: first visits a day are the session rate divided by that.
  const firstVisitsPerDay = (options.sessionsPerDay ?? 500) / 1.45;
  let people = 0;
  for (let day = Math.floor((from - WARM_UP_DAYS * DAY) / DAY); day * DAY < options.now; day++) {
    const expected =
      firstVisitsPerDay * (WEEKDAY_FACTOR[new Date(day * DAY).getUTCDay()] ?? 1) * (0.95 + 0.1 * ctx.rng.next());
    for (let k = Math.round(expected); k > 0; k--) {
      const at = timeOfDay(ctx.rng, day * DAY);
      if (at < options.now) visits.add(at, { person: null, n: 0 });
    }
    const end = (day + 1) * DAY;
    for (let v = visits.peekTime(); v !== undefined && v < end; v = visits.peekTime()) {
      const { person, n } = visits.takeBefore(end) as Visit;
      // Items before this visit's start are final: every visit still to come starts at or after it.
      for (let next = ctx.queue.takeBefore(v); next !== undefined; next = ctx.queue.takeBefore(v))
        yield emit(counts, next);
      const p = person ?? newPerson(ctx, people++, v);
      const again = personVisit(ctx, p, n, v);
      if (again !== null) visits.add(again, { person: p, n: n + 1 });
    }
  }
  for (let next = ctx.queue.takeBefore(Infinity); next !== undefined; next = ctx.queue.takeBefore(Infinity))
    yield emit(counts, next);
  counts.revenue = Math.round(counts.revenue * 100) / 100;
}

/**
 * The same options always give the same data relative to `now` (ids too, for the same `now`).
 * Items come out in time order (ties in the order they were made), so each session's landing
 * pageview is processed first. Reading `items` twice makes the data twice, counting it again.
 */
export function streamDemoTraffic(options: DemoTrafficOptions): DemoStream {
  const from = options.now - options.days * DAY;
  const counts = emptyCounts();
  return { items: { [Symbol.iterator]: () => produce(options, from, counts) }, counts, from, to: options.now };
}

/** The whole data set in memory: for tests and benchmarks of small sizes (`touchline demo` streams). */
export function generateDemoTraffic(options: DemoTrafficOptions): DemoTraffic {
  const stream = streamDemoTraffic(options);
  const items = [...stream.items];
  return { items, counts: stream.counts };
}
