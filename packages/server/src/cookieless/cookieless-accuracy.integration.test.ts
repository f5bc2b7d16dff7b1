// What cookieless mode gets wrong, measured against the truth (docs/privacy.md "Cookieless mode: accuracy"): NAT pairs merge, day boundaries and user-agent changes split.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COOKIELESS_ID, type Item } from '@touchline/core';
import type { Storage } from '@touchline/storage';
import { storageFactories, type TestStorage } from '../../../storage/src/test-support/storage-factories.js';
import { rawRows } from '../../../storage/src/test-support/raw-sql.js';
import { applyPass } from '../pipeline/apply-pass.js';
import { validateItems } from '../ingest/validate-items.js';
import { createSeededRandom } from '../demo/seeded-random.js';
import { DEFAULT_COOKIELESS } from './cookieless-settings.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** 2026-11-02, a Monday; the worker's clock is set just after the traffic, so every day's secret lives. */
const DAY0 = Date.parse('2026-11-02T00:00:00.000Z');
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const CHROME_NEXT = CHROME.replace('131.0.0.0', '132.0.0.0');
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

/** One page load of a real browser: when, from where, with which user agent. */
interface Hit {
  at: number;
  ip: string;
  ua: string;
  path: string;
}
/** A browser's hits: the truth is one visitor per browser, and its sessions by 30 minutes of inactivity. */
type Browser = Hit[];

function trueSessions(browsers: readonly Browser[]): number {
  let sessions = 0;
  for (const hits of browsers) {
    const times = hits.map((h) => h.at).sort((a, b) => a - b);
    times.forEach((t, i) => {
      if (i === 0 || t - (times[i - 1] as number) >= DEFAULT_COOKIELESS.sessionTimeoutMs) sessions += 1;
    });
  }
  return sessions;
}

/** Hits every `gap` minutes from `start`. */
const visit = (start: number, count: number, gapMinutes: number, ip: string, ua: string): Hit[] =>
  Array.from({ length: count }, (_, i) => ({ at: start + i * gapMinutes * MINUTE, ip, ua, path: `/p${i}` }));

let seq = 0;
function itemOf(hit: Hit): Item {
  seq += 1;
  return {
    type: 'pageview',
    id: `0190f7c2-0000-7000-8000-${seq.toString(16).padStart(12, '0')}`,
    timestamp: new Date(hit.at).toISOString(),
    visitor_id: COOKIELESS_ID,
    session_id: COOKIELESS_ID,
    context: {
      url: `https://shop.example${hit.path}`,
      referrer: null,
      user_agent: hit.ua,
      ip: hit.ip,
      utm: {},
      click_ids: {},
      session_start: null,
    },
  };
}

describe.each(await storageFactories(process.env, import.meta.url))('cookieless accuracy on $dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  let run = 0;
  beforeAll(async () => {
    db = await factory.open();
    storage = db.storage;
  });
  afterAll(async () => {
    await db.remove();
  });

  /** Visitors and sessions the collector stores for these browsers' traffic (one account each time). */
  async function measure(
    browsers: readonly Browser[],
  ): Promise<{ visitors: number; sessions: number; truth: { visitors: number; sessions: number } }> {
    run += 1;
    const account = await storage.ensureAccount(`accuracy-${run}`, 1);
    const of = `account_key = (SELECT key FROM accounts WHERE id = '${account.id}')`;
    // Each day's traffic is processed within its day, as a running worker does: the secret is then alive.
    const hits = browsers.flat().sort((a, b) => a.at - b.at);
    for (const day of [...new Set(hits.map((h) => Math.floor(h.at / DAY)))]) {
      const ofDay = hits.filter((h) => Math.floor(h.at / DAY) === day);
      const last = (ofDay[ofDay.length - 1] as Hit).at;
      // Through ingest's own validation, which truncates a cookieless item's address even with storeFullIp.
      const { accepted, errors } = validateItems(ofDay.map(itemOf), {
        now: last,
        maxFutureSkewMs: 0,
        maxPastAgeMs: DAY,
        storeFullIp: true,
        clockToleranceMs: 0,
        maxClockCorrectionMs: 0,
      });
      expect(errors).toEqual([]);
      for (let i = 0; i < accepted.length; i += 500)
        await storage.insertInbox(account.id, accepted.slice(i, i + 500), last);
      for (;;) {
        const rows = await storage.claimInbox({ limit: 300, leaseMs: 60_000, now: last });
        if (rows.length === 0) break;
        await applyPass(storage, rows, undefined, last + MINUTE);
      }
    }
    // The raw address is stored nowhere: the inbox keeps the truncated one only.
    const payloads = (await rawRows<{ payload: string }>(db, `SELECT payload FROM inbox WHERE ${of}`)).map((r) =>
      String(r.payload),
    );
    expect(payloads).toHaveLength(hits.length);
    for (const ip of new Set(hits.map((h) => h.ip))) expect(payloads.filter((p) => p.includes(`"${ip}"`))).toEqual([]);
    const [counts] = await rawRows<{ visitors: number; sessions: number }>(
      db,
      `SELECT (SELECT count(*) FROM visitors WHERE ${of}) AS visitors, (SELECT count(*) FROM sessions WHERE ${of}) AS sessions`,
    );
    return {
      visitors: Number(counts?.visitors),
      sessions: Number(counts?.sessions),
      truth: { visitors: browsers.length, sessions: trueSessions(browsers) },
    };
  }

  const noon = DAY0 + 12 * 60 * MINUTE;

  it('is exact for browsers that differ in address block or user agent', async () => {
    const browsers = [
      visit(noon, 5, 3, '203.0.113.7', CHROME),
      visit(noon + 60 * MINUTE, 4, 20, '198.51.100.9', CHROME),
      visit(noon, 6, 2, '203.0.113.7', FIREFOX),
      visit(noon + 5 * MINUTE, 3, 40, '192.0.2.44', SAFARI),
    ];
    expect(await measure(browsers)).toEqual({
      visitors: 4,
      sessions: 1 + 1 + 1 + 3,
      truth: { visitors: 4, sessions: 6 },
    });
  });

  it('merges two browsers behind one NAT with the same user agent into one visitor, and their overlapping visits into one session', async () => {
    const pair = [visit(noon, 4, 5, '203.0.113.7', CHROME), visit(noon + 7 * MINUTE, 4, 5, '203.0.113.7', CHROME)];
    expect(await measure(pair)).toEqual({ visitors: 1, sessions: 1, truth: { visitors: 2, sessions: 2 } });
  });

  it('merges two addresses of one /24 (the hash sees the truncated address), and keeps visits far apart as sessions of their own', async () => {
    const neighbours = [
      visit(noon, 3, 5, '203.0.113.7', CHROME),
      visit(noon + 3 * 60 * MINUTE, 3, 5, '203.0.113.201', CHROME),
    ];
    expect(await measure(neighbours)).toEqual({ visitors: 1, sessions: 2, truth: { visitors: 2, sessions: 2 } });
  });

  it('splits a visit across midnight (UTC) into two visitors and two sessions', async () => {
    const night = [visit(DAY0 + DAY - 15 * MINUTE, 7, 5, '203.0.113.7', FIREFOX)];
    expect(await measure(night)).toEqual({ visitors: 2, sessions: 2, truth: { visitors: 1, sessions: 1 } });
  });

  it('counts a returning browser again on each day', async () => {
    const returning = [
      [
        ...visit(noon, 3, 5, '203.0.113.7', SAFARI),
        ...visit(noon + DAY, 3, 5, '203.0.113.7', SAFARI),
        ...visit(noon + 2 * DAY, 2, 5, '203.0.113.7', SAFARI),
      ],
    ];
    expect(await measure(returning)).toEqual({ visitors: 3, sessions: 3, truth: { visitors: 1, sessions: 3 } });
  });

  it('splits a browser whose user agent changes (an update) or whose address changes (mobile network) mid-visit', async () => {
    const updated = [
      [...visit(noon, 3, 5, '203.0.113.7', CHROME), ...visit(noon + 15 * MINUTE, 3, 5, '203.0.113.7', CHROME_NEXT)],
    ];
    const roaming = [
      [...visit(noon, 3, 5, '203.0.113.7', SAFARI), ...visit(noon + 15 * MINUTE, 3, 5, '198.51.100.9', SAFARI)],
    ];
    expect(await measure(updated)).toEqual({ visitors: 2, sessions: 2, truth: { visitors: 1, sessions: 1 } });
    expect(await measure(roaming)).toEqual({ visitors: 2, sessions: 2, truth: { visitors: 1, sessions: 1 } });
  });

  it('a mixed population: households behind shared addresses, common browser versions, returns on the next day', async () => {
    // 300 browsers in 150 households (1-4 browsers each); user agents by share: the top version 40%;
    // each browser makes 1-3 visits of 1-8 pages a day at random times, and 30% come back the next day.
    const random = createSeededRandom(20);
    const browsers: Browser[] = [];
    const agents: Array<readonly [string, number]> = [
      [CHROME, 40],
      [CHROME_NEXT, 15],
      [FIREFOX, 15],
      [SAFARI, 30],
    ];
    for (let household = 0; browsers.length < 300; household++) {
      const ip = `10.${Math.floor(household / 200)}.${household % 200}.${random.int(1, 254)}`;
      const size = random.weighted([
        [1, 45],
        [2, 35],
        [3, 15],
        [4, 5],
      ] as const);
      for (let b = 0; b < size && browsers.length < 300; b++) {
        const ua = random.weighted(agents);
        const hits: Hit[] = [];
        for (const day of random.chance(0.3) ? [0, 1] : [0]) {
          for (let v = random.int(1, 3); v > 0; v--)
            hits.push(
              ...visit(DAY0 + day * DAY + random.int(0, 1380) * MINUTE, random.int(1, 8), random.int(1, 6), ip, ua),
            );
        }
        browsers.push(hits);
      }
    }
    const measured = await measure(browsers);
    // What a daily count of visitors could at best report: each browser once per day it was seen.
    const browserDays = browsers.reduce((n, hits) => n + new Set(hits.map((h) => Math.floor(h.at / DAY))).size, 0);
    // The documented figures (docs/privacy.md, README): truth vs what cookieless mode stores.
    expect({ ...measured, browserDays }).toEqual({
      visitors: 330,
      sessions: 727,
      browserDays: 387,
      truth: { visitors: 300, sessions: 739 },
    });
  });
});
