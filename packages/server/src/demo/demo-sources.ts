// The demo's acquisition sources: how each lands on the site (referrer, utm_*, click ids), how often, and how well it converts.
import type { SeededRandom } from './seeded-random.js';

export interface Landing {
  /** Query string added to the landing URL, without '?' ('' for none). */
  query: string;
  referrer: string | null;
  utm: Record<string, string>;
  clickIds: Record<string, string>;
}

export interface DemoSource {
  name: string;
  /** Relative share of first visits, and of return visits. */
  firstWeight: number;
  returnWeight: number;
  /** Conversion rate multiplier against the site average. */
  lift: number;
  land(rng: SeededRandom): Landing;
}

const utmLanding = (
  utm: Record<string, string>,
  clickIds: Record<string, string> = {},
  referrer: string | null = null,
): Landing => ({
  query: new URLSearchParams({ ...utm, ...clickIds }).toString(),
  referrer,
  utm,
  clickIds,
});
const refLanding = (referrer: string | null): Landing => ({ query: '', referrer, utm: {}, clickIds: {} });

/** Shares loosely follow a small web shop: search first, then direct, social, email, paid, AI assistants, referrals. */
export const DEMO_SOURCES: readonly DemoSource[] = [
  {
    name: 'organic search',
    firstWeight: 30,
    returnWeight: 18,
    lift: 1,
    land: (rng) =>
      refLanding(
        rng.weighted([
          ['https://www.google.com/', 8],
          ['https://www.bing.com/', 1.5],
          ['https://duckduckgo.com/', 1],
        ]),
      ),
  },
  {
    name: 'paid search',
    firstWeight: 12,
    returnWeight: 6,
    lift: 1.3,
    land: (rng) =>
      utmLanding(
        {
          utm_source: 'google',
          utm_medium: 'cpc',
          utm_campaign: rng.weighted([
            ['brand', 2],
            ['generic-shoes', 3],
            ['competitor', 1],
          ]),
          utm_term: rng.pick(['running shoes', 'trail shoes', 'touchline shop']),
        },
        { gclid: `Cj0KCQ${rng.hex(20)}` },
        'https://www.google.com/',
      ),
  },
  {
    name: 'paid social',
    firstWeight: 9,
    returnWeight: 3,
    lift: 0.7,
    land: (rng) =>
      utmLanding(
        {
          utm_source: 'facebook',
          utm_medium: 'paid_social',
          utm_campaign: rng.weighted([
            ['winter-sale', 3],
            ['retargeting', 1],
          ]),
          utm_content: rng.pick(['video-a', 'carousel-b']),
        },
        { fbclid: `IwAR${rng.hex(24)}` },
        'https://m.facebook.com/',
      ),
  },
  {
    name: 'organic social',
    firstWeight: 8,
    returnWeight: 4,
    lift: 0.6,
    land: (rng) =>
      refLanding(
        rng.weighted([
          ['https://www.facebook.com/', 3],
          ['https://t.co/x1', 2],
          ['https://www.linkedin.com/', 1],
          ['https://www.reddit.com/r/running/', 1.5],
        ]),
      ),
  },
  {
    name: 'email',
    firstWeight: 3,
    returnWeight: 16,
    lift: 1.8,
    land: (rng) =>
      utmLanding({
        utm_source: 'newsletter',
        utm_medium: 'email',
        utm_campaign: rng.weighted([
          ['weekly-digest', 3],
          ['winter-sale', 2],
          ['abandoned-cart', 1],
        ]),
      }),
  },
  {
    name: 'ai assistants',
    firstWeight: 5,
    returnWeight: 2,
    lift: 1.4,
    land: (rng) =>
      refLanding(
        rng.weighted([
          ['https://chatgpt.com/', 3],
          ['https://www.perplexity.ai/', 1.5],
          ['https://gemini.google.com/', 1],
        ]),
      ),
  },
  {
    name: 'referral',
    firstWeight: 7,
    returnWeight: 3,
    lift: 1.1,
    land: (rng) =>
      refLanding(
        rng.pick([
          'https://runnersworld.example.org/best-shoes-2026',
          'https://blog.trailhead.example/gear-review',
          'https://news.example.net/local-shops',
        ]),
      ),
  },
  {
    name: 'direct',
    firstWeight: 14,
    returnWeight: 38,
    lift: 1.2,
    land: () => refLanding(null),
  },
];
