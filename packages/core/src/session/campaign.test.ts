// Tests campaign parameter extraction and fingerprints.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLICK_ID_KEYS,
  UTM_KEYS,
  campaignFingerprint,
  campaignOfContext,
  extractCampaign,
  shortHash,
  type Campaign,
} from './campaign.js';

/** The straightforward reading: one `searchParams.get` per key. extractCampaign must agree with it. */
function campaignByGet(url: URL): Campaign | null {
  const utm: Campaign['utm'] = {};
  const clickIds: Campaign['clickIds'] = {};
  let found = false;
  for (const key of UTM_KEYS) {
    const value = url.searchParams.get(key)?.trim();
    if (value) {
      utm[key] = value.slice(0, 500);
      found = true;
    }
  }
  for (const key of CLICK_ID_KEYS) {
    const value = url.searchParams.get(key)?.trim();
    if (value) {
      clickIds[key] = value.slice(0, 500);
      found = true;
    }
  }
  return found ? { utm, clickIds } : null;
}

describe('extractCampaign', () => {
  it('reads UTM parameters and click ids, trimming and ignoring empty values', () => {
    const c = extractCampaign(
      new URL('https://a.example/?utm_source=%20news%20&utm_medium=email&utm_term=&gclid=G1&msclkid=M'),
    );
    expect(c).toEqual({ utm: { utm_source: 'news', utm_medium: 'email' }, clickIds: { gclid: 'G1', msclkid: 'M' } });
  });

  it('agrees with one searchParams.get per key: first occurrence wins, encoded keys count, empty is absent', () => {
    const key = fc.constantFrom(
      ...UTM_KEYS,
      ...CLICK_ID_KEYS,
      'q',
      'utm',
      'utm_sourc',
      'GCLID',
      'utm%5Fsource',
      'gcl%69d',
    );
    const value = fc.oneof(
      fc.constantFrom('', ' ', 'x', ' a b ', '%20', 'a%26b', '+', 'é'),
      fc.string({ maxLength: 8 }),
    );
    const query = fc
      .array(fc.tuple(key, value), { maxLength: 8 })
      .map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%25/g, '%')}`).join('&'));
    fc.assert(
      fc.property(query, fc.constantFrom('?', '/p?', '/p?#', '/p?a&'), (q, lead) => {
        const url = new URL(`https://a.example${lead}${q}`);
        expect(extractCampaign(url)).toEqual(campaignByGet(url));
      }),
      { numRuns: 2000 },
    );
  });

  it('returns null without campaign parameters or without a URL', () => {
    expect(extractCampaign(new URL('https://a.example/p?q=1'))).toBeNull();
    expect(extractCampaign(null)).toBeNull();
  });

  it('fingerprints equal campaigns equally and different ones differently, whatever the parameter order', () => {
    const a = extractCampaign(new URL('https://a.example/?utm_source=x&utm_campaign=y'));
    const b = extractCampaign(new URL('https://a.example/?utm_campaign=y&utm_source=x&other=1'));
    const c = extractCampaign(new URL('https://a.example/?utm_source=x&utm_campaign=z'));
    if (!a || !b || !c) throw new Error('expected campaigns');
    expect(campaignFingerprint(a)).toBe(campaignFingerprint(b));
    expect(campaignFingerprint(a)).not.toBe(campaignFingerprint(c));
    expect(campaignFingerprint(a)).toMatch(/^[0-9a-z]{1,7}$/);
  });
});

describe('campaign values and fingerprints on the wire', () => {
  it('cuts utm and click id values to 500 characters', () => {
    const long = 'v'.repeat(600);
    const campaign = extractCampaign(new URL(`https://shop.example/?utm_source=${long}&gclid=${long}`));
    expect(campaign?.utm.utm_source).toBe('v'.repeat(500));
    expect(campaign?.clickIds.gclid).toBe('v'.repeat(500));
  });

  it('keeps the fingerprint format that session cookies already carry', () => {
    // key=value of the present keys, utm keys then click ids, joined by '&': a change restarts every session.
    const campaign = extractCampaign(new URL('https://shop.example/?gclid=x&utm_medium=email&utm_source=news'));
    expect(campaign).not.toBeNull();
    expect(campaignFingerprint(campaign as Campaign)).toBe(shortHash('utm_source=news&utm_medium=email&gclid=x'));
  });

  it('skips undefined utm values a sender left in its context and reads the URL instead', () => {
    const ctx = { url: 'https://shop.example/?utm_source=news', utm: { utm_source: undefined } };
    expect(campaignOfContext(ctx)).toEqual({ utm: { utm_source: 'news' }, clickIds: {} });
  });
});

describe('campaignOfContext', () => {
  const url = 'https://shop.example/l?utm_source=google&utm_medium=cpc&gclid=G1&fbclid=F';

  it('reads the URL when the sender sent no campaign (absent, empty or blank values)', () => {
    const fromUrl = { utm: { utm_source: 'google', utm_medium: 'cpc' }, clickIds: { gclid: 'G1', fbclid: 'F' } };
    expect(campaignOfContext({ url })).toEqual(fromUrl);
    expect(campaignOfContext({ url, utm: {}, click_ids: {} })).toEqual(fromUrl);
    expect(campaignOfContext({ url, utm: { utm_source: ' ' }, click_ids: { gclid: '' } })).toEqual(fromUrl);
  });

  it('takes the sender at its word, whole: explicit utm or click ids are never mixed with the URL', () => {
    expect(campaignOfContext({ url, utm: { utm_source: 'newsletter' }, click_ids: {} })).toEqual({
      utm: { utm_source: 'newsletter' },
      clickIds: {},
    });
    expect(campaignOfContext({ url, utm: {}, click_ids: { msclkid: 'M' } })).toEqual({
      utm: {},
      clickIds: { msclkid: 'M' },
    });
  });

  it('is the SDK reading for any URL: equal to extractCampaign, empty when there is nothing to read', () => {
    const pair = fc.tuple(fc.constantFrom(...UTM_KEYS, ...CLICK_ID_KEYS, 'q'), fc.constantFrom('', ' ', 'x', 'a%20b'));
    const raw = fc
      .array(pair, { maxLength: 6 })
      .map((pairs) => `https://a.example/p?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`);
    fc.assert(
      fc.property(raw, (u) => {
        expect(campaignOfContext({ url: u, utm: {}, click_ids: {} })).toEqual(
          extractCampaign(new URL(u)) ?? { utm: {}, clickIds: {} },
        );
      }),
      { numRuns: 1000 },
    );
    for (const bad of [null, '', 'not a url?utm_source=x', '/relative?utm_source=x']) {
      expect(campaignOfContext({ url: bad, utm: {}, click_ids: {} })).toEqual({ utm: {}, clickIds: {} });
    }
  });
});
