// Example-based tests of the protocol: cookie attributes, bots, campaigns, logout and bad cookies.
import { describe, expect, it } from 'vitest';
import { LOGOUT_JUMP, endSessionCookies, resolveIdentity, type IdentityInput } from './resolve-identity.js';
import { parseSessionSettings } from './session-settings.js';

const settings = parseSessionSettings({});
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const base: IdentityInput = {
  cookieHeader: undefined, kind: 'navigation', url: new URL('https://shop.example/'), userAgent: CHROME, now: 1_700_000_000_000, settings,
};
/** Turns Set-Cookie values into the Cookie header a browser would send next. */
const toCookieHeader = (setCookies: string[], previous = ''): string => {
  const jar = new Map(previous.split('; ').filter(Boolean).map((c) => c.split('=') as [string, string]));
  for (const c of setCookies) {
    const [pair = ''] = c.split(';');
    const [name = '', value = ''] = pair.split('=');
    if (/Max-Age=0(;|$)/.test(c)) jar.delete(name); else jar.set(name, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
};

describe('resolveIdentity', () => {
  it('mints a visitor and session 1 on a first navigation, with secure HttpOnly Lax cookies on https', () => {
    const id = resolveIdentity(base);
    expect(id.started).toBe('new_visitor');
    expect(id.sessionNumber).toBe(1);
    expect(id.setCookies).toHaveLength(3);
    expect(id.setCookies[0]).toMatch(new RegExp(`^tl_vid=${id.visitorId}; Max-Age=34560000; Path=/; HttpOnly; Secure; SameSite=Lax$`));
    expect(id.setCookies[2]).toMatch(/^tl_act=1; Max-Age=1800;/);
  });

  it('omits Secure on plain http in auto mode and honours an explicit domain', () => {
    const id = resolveIdentity({ ...base, url: new URL('http://localhost:3000/'), settings: parseSessionSettings({ cookieDomain: 'example.com' }) });
    expect(id.setCookies.every((c) => !c.includes('Secure') && c.includes('Domain=example.com'))).toBe(true);
  });

  it('continues the session and only refreshes the activity cookie while active', () => {
    const first = resolveIdentity(base);
    const next = resolveIdentity({ ...base, cookieHeader: toCookieHeader(first.setCookies) });
    expect(next.visitorId).toBe(first.visitorId);
    expect(next.sessionId).toBe(first.sessionId);
    expect(next.started).toBeNull();
    expect(next.setCookies).toEqual([expect.stringMatching(/^tl_act=1;/)]);
  });

  it('gives every racing request after expiry the same next session id', () => {
    const first = resolveIdentity(base);
    const expired = toCookieHeader(first.setCookies).replace(/; tl_act=1/, '');
    const a = resolveIdentity({ ...base, cookieHeader: expired, now: base.now + 1 });
    const b = resolveIdentity({ ...base, cookieHeader: expired, now: base.now + 999, kind: 'api' });
    expect(a.started).toBe('expired');
    expect(a.sessionNumber).toBe(2);
    expect(b.sessionId).toBe(a.sessionId);
  });

  it('starts a new session on a landing with new campaign parameters, but not on a reload of it', () => {
    const first = resolveIdentity(base);
    const landing = { ...base, url: new URL('https://shop.example/?utm_source=news&utm_campaign=nov') };
    const land = resolveIdentity({ ...landing, cookieHeader: toCookieHeader(first.setCookies) });
    expect(land.started).toBe('campaign');
    const jar = toCookieHeader(land.setCookies, toCookieHeader(first.setCookies));
    const reload = resolveIdentity({ ...landing, cookieHeader: jar });
    expect(reload.sessionId).toBe(land.sessionId);
    expect(reload.started).toBeNull();
    const other = resolveIdentity({ ...base, url: new URL('https://shop.example/?gclid=xyz'), cookieHeader: jar });
    expect(other.started).toBe('campaign');
    expect(other.sessionNumber).toBe(3);
  });

  it('gives bots no identity, cookies or campaign-driven sessions', () => {
    const bot = resolveIdentity({ ...base, userAgent: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)' });
    expect(bot).toMatchObject({ isBot: true, visitorId: null, sessionId: null, setCookies: [] });
  });

  it('never mints identity on assets, API calls or prefetches without cookies', () => {
    for (const kind of ['asset', 'api', 'prefetch'] as const) {
      expect(resolveIdentity({ ...base, kind })).toMatchObject({ visitorId: null, setCookies: [] });
    }
  });

  it('treats a malformed visitor cookie as absent and replaces it on the next navigation', () => {
    const id = resolveIdentity({ ...base, cookieHeader: 'tl_vid=not-a-uuid; tl_s9=zz; tl_act=9' });
    expect(id.started).toBe('new_visitor');
    expect(id.visitorId).not.toBe('not-a-uuid');
  });

  it('logout jumps the session number so the next request is in a fresh session', () => {
    const first = resolveIdentity(base);
    const out = endSessionCookies(first, { url: base.url, settings });
    expect(out?.sessionNumber).toBe(1 + LOGOUT_JUMP);
    const jar = toCookieHeader(out?.setCookies ?? [], toCookieHeader(first.setCookies));
    const after = resolveIdentity({ ...base, cookieHeader: jar });
    expect(after.sessionId).toBe(out?.sessionId);
    expect(after.sessionId).not.toBe(first.sessionId);
    expect(endSessionCookies(resolveIdentity({ ...base, kind: 'asset' }), { url: base.url, settings })).toBeNull();
  });

  it('ignores an unbounded pile of session-number cookies beyond 32', () => {
    const first = resolveIdentity(base);
    const pile = Array.from({ length: 100 }, (_, i) => `tl_s${i + 1}=-`).join('; ');
    const id = resolveIdentity({ ...base, cookieHeader: `tl_vid=${first.visitorId}; ${pile}; tl_act=1` });
    expect(id.sessionNumber).toBe(32);
  });
});

describe('parseSessionSettings', () => {
  it('reports every bad setting at once, naming each', () => {
    expect(() => parseSessionSettings({ timeoutMinutes: -1, cookiePrefix: '1bad!', visitorDays: 9000 }))
      .toThrowError(/timeoutMinutes[\s\S]*cookiePrefix[\s\S]*visitorDays/);
  });

  it("rejects SameSite=None without Secure", () => {
    expect(() => parseSessionSettings({ cookieSameSite: 'none', cookieSecure: false })).toThrowError(/cookieSameSite/);
  });
});
