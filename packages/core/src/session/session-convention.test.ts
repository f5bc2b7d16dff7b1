// Scenario tests of the three session conventions: one browsing story, the sessions each convention makes of it.
import { describe, expect, it } from 'vitest';
import { extractCampaign, shortHash } from './campaign.js';
import { resolveIdentity, type StartReason } from './resolve-identity.js';
import { landingSource, type SessionConvention } from './session-convention.js';
import { parseSessionSettings, type SessionSettingsInput } from './session-settings.js';
import { CookieJar } from './test-support/browser-sim.js';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const MIN = 60_000;

interface Step {
  what: string;
  path: string;
  referrer?: string;
  waitMs?: number;
}

/** One person's afternoon on shop.example, every response arriving before the next click. */
const STORY: Step[] = [
  { what: 'lands from a Google result', path: '/', referrer: 'https://www.google.com/' },
  { what: 'clicks to a product', path: '/p/1', referrer: 'https://shop.example/' },
  { what: 'opens the newsletter link', path: '/sale?utm_source=news&utm_medium=email', waitMs: 5 * MIN },
  { what: 'browses on', path: '/p/2', referrer: 'https://shop.example/sale' },
  { what: 'follows a blog post link', path: '/p/3', referrer: 'https://blog.example/post', waitMs: 5 * MIN },
  { what: 'reloads that page', path: '/p/3', referrer: 'https://blog.example/post' },
  { what: 'comes from the www host', path: '/p/4', referrer: 'https://www.shop.example/p/3' },
  {
    what: 'returns from the payment provider',
    path: '/thanks',
    referrer: 'https://checkout.pay.example/session',
    waitMs: 2 * MIN,
  },
  {
    what: 'searches Google again and clicks the same result',
    path: '/',
    referrer: 'https://www.google.com/',
    waitMs: 2 * MIN,
  },
  { what: 'comes back after 31 idle minutes', path: '/p/1', referrer: 'https://shop.example/', waitMs: 31 * MIN },
];

function browse(
  convention: SessionConvention,
  extra: SessionSettingsInput = {},
): Array<{ n: number | null; started: StartReason | null }> {
  const settings = parseSessionSettings({ convention, ownHosts: ['pay.example'], ...extra });
  const jar = new CookieJar();
  let now = 1_700_000_000_000;
  return STORY.map((step) => {
    now += step.waitMs ?? 10_000;
    const url = new URL(`https://shop.example${step.path}`);
    const identity = resolveIdentity({
      cookieHeader: jar.header(now),
      kind: 'navigation',
      url,
      referrer: step.referrer,
      userAgent: CHROME,
      now,
      settings,
    });
    for (const c of identity.setCookies) jar.apply(c, now);
    return { n: identity.sessionNumber, started: identity.started };
  });
}

describe('session conventions, one browsing story', () => {
  it('inactivity (GA4): only the idle half hour starts a session', () => {
    expect(browse('inactivity')).toEqual([
      { n: 1, started: 'new_visitor' },
      { n: 1, started: null },
      { n: 1, started: null },
      { n: 1, started: null },
      { n: 1, started: null },
      { n: 1, started: null },
      { n: 1, started: null },
      { n: 1, started: null },
      { n: 1, started: null },
      { n: 2, started: 'expired' },
    ]);
  });

  it('inactivity+campaign (the default): the newsletter landing starts one too, referrers never do', () => {
    expect(browse('inactivity+campaign')).toEqual([
      { n: 1, started: 'new_visitor' },
      { n: 1, started: null },
      { n: 2, started: 'campaign' },
      { n: 2, started: null },
      { n: 2, started: null },
      { n: 2, started: null },
      { n: 2, started: null },
      { n: 2, started: null },
      { n: 2, started: null },
      { n: 3, started: 'expired' },
    ]);
    expect(parseSessionSettings({}).convention).toBe('inactivity+campaign');
  });

  it('inactivity+campaign+referrer (Multibuzz): each new external referrer too; a reload, own hosts and the same referrer again do not', () => {
    expect(browse('inactivity+campaign+referrer')).toEqual([
      { n: 1, started: 'new_visitor' },
      { n: 1, started: null },
      { n: 2, started: 'campaign' },
      { n: 2, started: null },
      { n: 3, started: 'referrer' },
      { n: 3, started: null },
      { n: 3, started: null },
      { n: 3, started: null },
      { n: 4, started: 'referrer' },
      { n: 5, started: 'expired' },
    ]);
  });

  it('without the payment provider in ownHosts, its return page would start a session under the referrer convention', () => {
    expect(browse('inactivity+campaign+referrer', { ownHosts: [] })[7]).toEqual({ n: 4, started: 'referrer' });
  });
});

describe('landingSource', () => {
  const base = {
    convention: 'inactivity+campaign+referrer' as const,
    campaign: null,
    url: new URL('https://shop.example/'),
    referrer: undefined,
    cookieDomain: undefined,
    ownHosts: [],
  };

  it('names no source for the site itself, the cookie domain, own hosts and their subdomains, or non-web referrers', () => {
    for (const referrer of [
      '',
      'https://shop.example/x',
      'http://WWW.Shop.Example./y',
      'android-app://com.google.android.gm/',
      'not a url',
    ]) {
      expect(landingSource({ ...base, referrer })).toBeNull();
    }
    expect(
      landingSource({
        ...base,
        url: new URL('https://a.shop.example/'),
        referrer: 'https://b.shop.example/',
        cookieDomain: '.shop.example',
      }),
    ).toBeNull();
    expect(
      landingSource({ ...base, referrer: 'https://eu.checkout.pay.example/', ownHosts: ['https://pay.example/'] }),
    ).toBeNull();
  });

  it('gives one external host one fingerprint, whatever its path or www prefix, and campaign plus referrer another', () => {
    const a = landingSource({ ...base, referrer: 'https://www.blog.example/a' });
    const b = landingSource({ ...base, referrer: 'https://blog.example/b?q=1' });
    expect(a).toEqual({ fingerprint: expect.stringMatching(/^[0-9a-z]+$/), reason: 'referrer' });
    expect(b).toEqual(a);
    const campaign = extractCampaign(new URL('https://shop.example/?gclid=x'));
    const both = landingSource({ ...base, campaign, referrer: 'https://blog.example/' });
    expect(both?.reason).toBe('campaign');
    expect(both?.fingerprint).not.toBe(a?.fingerprint);
  });

  it('keeps the fingerprint format that session cookies already carry', () => {
    // A changed format would start a new session for every visitor holding an older cookie.
    expect(landingSource({ ...base, referrer: 'https://blog.example/' })?.fingerprint).toBe(
      shortHash('&ref=blog.example'),
    );
  });

  it('takes plain http referrers, with or without a page URL or a dotless cookie domain', () => {
    const external = { fingerprint: shortHash('&ref=blog.example'), reason: 'referrer' };
    expect(landingSource({ ...base, referrer: 'http://blog.example/' })).toEqual(external);
    expect(landingSource({ ...base, url: null, referrer: 'http://blog.example/' })).toEqual(external);
    expect(landingSource({ ...base, url: new URL('file:///index.html'), referrer: 'https://blog.example/' })).toEqual(
      external,
    );
    expect(
      landingSource({
        ...base,
        url: new URL('https://a.shop.example/'),
        referrer: 'https://b.shop.example/',
        cookieDomain: 'shop.example',
      }),
    ).toBeNull();
  });

  it('ignores blank own hosts and referrers whose host is too long to be one', () => {
    expect(landingSource({ ...base, referrer: 'https://blog.example/', ownHosts: ['', '  '] })).toEqual({
      fingerprint: shortHash('&ref=blog.example'),
      reason: 'referrer',
    });
    expect(landingSource({ ...base, referrer: `https://${'a'.repeat(300)}.example/` })).toBeNull();
  });

  it('keeps the campaign-only fingerprint under inactivity+campaign, and names nothing under inactivity', () => {
    const campaign = extractCampaign(new URL('https://shop.example/?utm_source=x'));
    const onlyCampaign = landingSource({
      ...base,
      convention: 'inactivity+campaign',
      campaign,
      referrer: 'https://blog.example/',
    });
    expect(onlyCampaign).toEqual(landingSource({ ...base, campaign }));
    expect(landingSource({ ...base, convention: 'inactivity+campaign', referrer: 'https://blog.example/' })).toBeNull();
    expect(
      landingSource({ ...base, convention: 'inactivity', campaign, referrer: 'https://blog.example/' }),
    ).toBeNull();
  });
});
