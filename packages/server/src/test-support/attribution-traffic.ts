// Generated attribution traffic for the differential tests: devices, sessions, conversions and late identify links in shuffled batches.
import type { ConversionRow, IdentityRow, ProcessedBatch, SessionUpsert } from '@touchline/storage';
import { batch, session } from '../../../storage/src/test-support/temp-storage.js';

const DAY = 86_400_000;
// Data starts 100 days ago; PostgreSQL partitions only events, which this test does not write.
const BASE = Math.floor((Date.now() - 100 * DAY) / 1000) * 1000;

const CHANNELS = ['direct', 'email', 'paid_search', 'organic_search', null] as const;
const CAMPAIGNS = ['spring', 'sale', ''] as const;

/** xorshift32: one seed decides the whole data set, so a failure replays from the printed seed. */
export function prng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

export interface Traffic {
  batches: ProcessedBatch[];
  end: number;
}

/**
 * Visitors with sessions over 100 days, conversions (some in a session, some exactly at a session's
 * start, some with no session), identify links between devices (some arriving in a later batch
 * than the conversion they change), sessions whose start moves earlier in a later batch (late
 * items), all in 1-5 shuffled batches.
 */
export function generateTraffic(seed: number, accountId: string): Traffic {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const span = 100 * DAY;
  const visitors = Array.from({ length: 3 + Math.floor(rand() * 20) }, (_, i) => `v${i}`);
  const sessions: SessionUpsert[] = [];
  const conversions: ConversionRow[] = [];
  const identities: IdentityRow[] = [];
  for (const [n, visitorId] of visitors.entries()) {
    // Many visitors never convert: Markov counts their paths as steps in the database.
    const conversionRate = pick([0, 0, 0.1, 0.35]);
    let previousStart = BASE + Math.floor(rand() * span);
    for (let k = 0; k < 1 + Math.floor(rand() * 5); k++) {
      // Sometimes in the same millisecond as the visitor's previous session: ties are ordered by id.
      const startedAt = k > 0 && rand() < 0.15 ? previousStart : BASE + Math.floor(rand() * span);
      previousStart = startedAt;
      const campaign = pick(CAMPAIGNS);
      const s = session(accountId, {
        id: `s${n}-${k}`,
        visitorId,
        startedAt,
        lastSeenAt: startedAt + Math.floor(rand() * 3_600_000),
        channel: pick(CHANNELS),
        utm: campaign === '' ? {} : { utm_campaign: campaign, utm_source: pick(['google', 'news']) },
        clickIds: rand() < 0.3 ? { gclid: 'x' } : {},
        landingUrl: `https://shop.example/${pick(['a', 'b/c', ''])}?q=1`,
      });
      sessions.push(s);
      // A late copy of the same session with an earlier start: the merge keeps the earliest.
      if (rand() < 0.2) sessions.push({ ...s, startedAt: s.startedAt - Math.floor(rand() * 40 * DAY) });
      if (rand() < conversionRate) {
        const at = rand() < 0.15 ? startedAt : startedAt + Math.floor(rand() * 20 * DAY);
        conversions.push({
          accountId,
          id: `c${n}-${k}`,
          name: 'purchase',
          visitorId,
          sessionId: rand() < 0.7 ? s.id : null,
          timestamp: at,
          revenue: rand() < 0.2 ? null : Math.floor(rand() * 100_000) / 100,
          currency: 'EUR',
          properties: '{}',
        });
      }
    }
  }
  for (let l = 0; l < Math.floor(rand() * visitors.length); l++) {
    identities.push({
      accountId,
      userId: `u${Math.floor(rand() * 4)}`,
      visitorId: pick(visitors),
      timestamp: BASE + Math.floor(rand() * span),
      traits: '{}',
      traitsAt: 1,
    });
  }
  const parts = 1 + Math.floor(rand() * 5);
  const batches = Array.from({ length: parts }, () => batch());
  const into = <T>(rows: T[], key: 'sessions' | 'conversions' | 'identities'): void => {
    for (const row of rows) (batches[Math.floor(rand() * parts)] as ProcessedBatch)[key].push(row as never);
  };
  into(sessions, 'sessions');
  into(conversions, 'conversions');
  into(identities, 'identities');
  return { batches, end: BASE + span + 30 * DAY };
}

/** Windows over and around the traffic: everything, a random 30 days, a random short one. */
export function windows(seed: number, end: number): Array<{ from: number; to: number }> {
  const rand = prng(seed ^ 0x51de);
  const at = (): number => BASE + Math.floor(rand() * (end - BASE));
  const a = at();
  const b = at();
  return [
    { from: BASE - DAY, to: end },
    { from: a, to: a + 30 * DAY },
    { from: Math.min(a, b), to: Math.max(a, b) },
  ];
}
