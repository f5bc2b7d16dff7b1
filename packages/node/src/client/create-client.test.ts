// Tests of the client surface: settings errors, never throwing, explicit visitors, isolation of clients.
import { describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import type { RequestInfo } from './request-info.js';

interface Posted {
  items: Array<Record<string, unknown>>;
}

/** A fetch that acknowledges every batch and keeps what it got (transport behaviour is tested on real sockets elsewhere). */
function recordingFetch(): { fetch: typeof fetch; posted: Posted[] } {
  const posted: Posted[] = [];
  const fn = async (_url: unknown, init?: RequestInit): Promise<Response> => {
    const batch = JSON.parse(String(init?.body)) as Posted & { batch_id: string };
    posted.push(batch);
    return new Response(
      JSON.stringify({ batch_id: batch.batch_id, accepted: batch.items.length, duplicates: 0, errors: [] }),
      {
        status: 202,
        headers: { 'content-type': 'application/json' },
      },
    );
  };
  return { fetch: fn as typeof fetch, posted };
}

function navigation(cookies: string[] = []): RequestInfo {
  const headers: Record<string, string> = {
    host: 'shop.example',
    'sec-fetch-mode': 'navigate',
    'sec-fetch-dest': 'document',
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0',
    referer: 'https://www.google.com/',
  };
  return {
    method: 'GET',
    url: '/landing?utm_source=news',
    header: (n) => headers[n],
    remoteAddress: '203.0.113.9',
    encrypted: true,
    appendSetCookie: (c) => {
      cookies.push(...c);
      return true;
    },
  };
}

describe('createClient', () => {
  it('reports every invalid setting at once, naming each field', () => {
    expect(() => createClient({ apiKey: '', endpoint: 'ftp://x', maxQueueItems: -1 } as never)).toThrowError(
      /apiKey[\s\S]*endpoint[\s\S]*maxQueueItems/,
    );
    expect(() => createClient({ apiKey: 'k', bogus: 1 } as never)).toThrowError(/bogus|Unrecognized/);
  });

  it('refuses beacon and serverless settings that cannot work, naming the field and why', () => {
    expect(() => createClient({ apiKey: 'k', viewBeaconPath: false })).toThrowError(
      /beaconScriptPath.*reports to viewBeaconPath/,
    );
    expect(() => createClient({ apiKey: 'k', beaconScriptPath: '/_touchline/view' })).toThrowError(
      /beaconScriptPath.*must differ from viewBeaconPath/,
    );
    expect(() => createClient({ apiKey: 'k', beaconScriptPath: 'beacon.js' })).toThrowError(
      /beaconScriptPath.*must be a path/,
    );
    expect(() => createClient({ apiKey: 'k', serverless: { waitUntil: 1 } } as never)).toThrowError(
      /serverless.waitUntil must be a function/,
    );
    expect(() => createClient({ apiKey: 'k', serverless: { flushTimeoutMs: 0 } })).toThrowError(
      /serverless\.flushTimeoutMs/,
    );
    // Both beacons off together is fine; so is serverless with defaults.
    expect(
      createClient({ apiKey: 'k', viewBeaconPath: false, beaconScriptPath: false }).settings.beaconScriptPath,
    ).toBe(false);
    expect(createClient({ apiKey: 'k', serverless: {} }).settings.serverless).toEqual({ flushTimeoutMs: 2000 });
  });

  it('records a pageview with a frozen request context for each navigation', async () => {
    const { fetch, posted } = recordingFetch();
    const client = createClient({ apiKey: 'k', fetch });
    const cookies: string[] = [];
    const scope = client.handle(navigation(cookies));
    expect(Object.isFrozen(scope.context)).toBe(true);
    expect(cookies).toEqual([]); // the adapter writes identity.setCookies, handle() does not
    expect(scope.identity.setCookies).toHaveLength(4);
    await client.flush();
    const [pageview] = posted.flatMap((b) => b.items);
    expect(pageview).toMatchObject({
      type: 'pageview',
      visitor_id: scope.identity.visitorId,
      session_id: scope.identity.sessionId,
      context: {
        url: 'https://shop.example/landing?utm_source=news',
        referrer: 'https://www.google.com/',
        ip: '203.0.113.9',
        utm: { utm_source: 'news' },
        session_start: 'new_visitor',
      },
    });
    await client.close();
  });

  it('sends one alias for a ghost visitor left by two racing first navigations, whose id repeats so the collector stores it once', async () => {
    const { fetch, posted } = recordingFetch();
    const client = createClient({ apiKey: 'k', fetch });
    /** A browser jar: the last Set-Cookie of a name wins. */
    const jarOf = (...responses: ReadonlyArray<readonly string[]>): string => {
      const jar = new Map(responses.flat().map((c) => (c.split(';')[0] ?? '').split('=') as [string, string]));
      return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    };
    // Two tabs: both navigations leave with no cookies, the second response arrives last.
    const [a, b] = [client.handle(navigation()), client.handle(navigation())];
    const jar = jarOf(a.identity.setCookies, b.identity.setCookies);
    const withJar = (cookie: string): RequestInfo => {
      const base = navigation();
      return { ...base, header: (n) => (n === 'cookie' ? cookie : base.header(n)) };
    };
    // Two racing requests of the settled browser both see both ids: both send the alias (same id).
    const [x, y] = [client.handle(withJar(jar)), client.handle(withJar(jar))];
    const settled = jarOf(a.identity.setCookies, b.identity.setCookies, x.identity.setCookies);
    const later = client.handle(withJar(settled));
    await client.flush();
    const aliases = posted.flatMap((p) => p.items).filter((i) => i.type === 'alias');
    const canonical = [a.identity.visitorId, b.identity.visitorId].sort()[0];
    const ghost = canonical === a.identity.visitorId ? b : a;
    expect(aliases).toHaveLength(2);
    expect(aliases[0]).toMatchObject({
      visitor_id: canonical,
      previous_id: ghost.identity.visitorId,
      previous_session_id: ghost.identity.sessionId,
      context: null,
    });
    expect(aliases[1]?.id).toBe(aliases[0]?.id);
    expect([x, y, later].map((s) => s.identity.visitorId)).toEqual([canonical, canonical, canonical]);
    expect(later.identity.aliases).toEqual([]);
    await client.close();
  });

  it("takes the session convention from settings, with core's defaults for the rest, and hands the referrer to it", async () => {
    const at = (path: string, referer: string, cookie: string): RequestInfo => {
      const headers: Record<string, string> = {
        host: 'shop.example',
        'sec-fetch-mode': 'navigate',
        'sec-fetch-dest': 'document',
        'user-agent': 'Mozilla/5.0 Chrome/140.0',
        referer,
        cookie,
      };
      return {
        method: 'GET',
        url: path,
        header: (n) => headers[n],
        remoteAddress: '203.0.113.9',
        encrypted: true,
        appendSetCookie: () => true,
      };
    };
    const started: Record<string, unknown[]> = {};
    for (const convention of ['inactivity+campaign', 'inactivity+campaign+referrer'] as const) {
      const { fetch, posted } = recordingFetch();
      const client = createClient({ apiKey: 'k', fetch, session: { convention } });
      expect(client.settings.session).toMatchObject({
        convention,
        timeoutMinutes: 30,
        cookiePrefix: 'tl_',
        ownHosts: [],
      });
      const first = client.handle(at('/', 'https://www.google.com/', ''));
      const cookie = first.identity.setCookies.map((c) => c.split(';')[0]).join('; ');
      client.handle(at('/p', 'https://shop.example/', cookie));
      client.handle(at('/q', 'https://blog.example/post', cookie));
      await client.close();
      started[convention] = posted
        .flatMap((b) => b.items)
        .map((i) => (i.context as { session_start: unknown }).session_start);
    }
    expect(started).toEqual({
      'inactivity+campaign': ['new_visitor', null, null],
      'inactivity+campaign+referrer': ['new_visitor', null, 'referrer'],
    });
  });

  it('never throws into the app: bad calls and calls outside a request go to onError with the field named', async () => {
    const { fetch, posted } = recordingFetch();
    const errors: string[] = [];
    const client = createClient({ apiKey: 'k', fetch, onError: (e) => errors.push(e.message) });
    expect(() => client.event('outside')).not.toThrow();
    const scope = client.handle(navigation());
    client.run(scope, () => {
      client.event('', {});
      client.conversion('buy', { revenue: Number.NaN, currency: 'euro' });
      client.event('ok', { nested: { a: 1 }, ['__proto__']: { polluted: true } });
    });
    expect(errors[0]).toMatch(/outside a request.*visitorId/);
    expect(errors[1]).toMatch(/invalid event: name/);
    expect(errors[2]).toMatch(/invalid conversion: revenue.*currency|invalid conversion: .*revenue/);
    expect(errors[2]).toMatch(/currency/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await client.flush();
    const names = posted.flatMap((b) => b.items).map((i) => i.name ?? i.type);
    expect(names).toEqual(['pageview', 'ok']);
    expect(client.stats().dropped.invalid).toBe(3);
    await client.close();
  });

  it('records nothing for bots and does not call onError for them', async () => {
    const { fetch, posted } = recordingFetch();
    const errors: Error[] = [];
    const client = createClient({ apiKey: 'k', fetch, onError: (e) => errors.push(e) });
    const info = navigation();
    const botInfo = {
      ...info,
      header: (n: string) => (n === 'user-agent' ? 'Googlebot/2.1 (+http://www.google.com/bot.html)' : info.header(n)),
    };
    const scope = client.handle(botInfo);
    expect(scope.identity).toMatchObject({ isBot: true, visitorId: null, setCookies: [] });
    client.run(scope, () => client.event('crawled'));
    await client.flush();
    expect(posted).toEqual([]);
    expect(errors).toEqual([]);
    await client.close();
  });

  it('accepts an explicit visitor outside a request (e.g. from a background job)', async () => {
    const { fetch, posted } = recordingFetch();
    const client = createClient({ apiKey: 'k', fetch });
    const visitorId = '0190f7c2-0000-7000-8000-000000000001';
    client.conversion(
      'renewal',
      { revenue: 10, currency: 'USD' },
      { visitorId, timestamp: new Date('2026-01-01T00:00:00Z') },
    );
    await client.flush();
    expect(posted[0]?.items[0]).toMatchObject({
      visitor_id: visitorId,
      session_id: null,
      context: null,
      timestamp: '2026-01-01T00:00:00.000Z',
      revenue: 10,
    });
    await client.close();
  });

  it('keeps two clients fully independent', async () => {
    const a = recordingFetch();
    const b = recordingFetch();
    const ca = createClient({ apiKey: 'a', fetch: a.fetch });
    const cb = createClient({ apiKey: 'b', fetch: b.fetch });
    const scope = ca.handle(navigation());
    ca.run(scope, () => {
      expect(cb.current()).toBeUndefined();
      ca.event('only-a');
    });
    await Promise.all([ca.flush(), cb.flush()]);
    expect(a.posted.flatMap((x) => x.items).map((i) => i.type)).toEqual(['pageview', 'event']);
    expect(b.posted).toEqual([]);
    await Promise.all([ca.close(), cb.close()]);
  });

  it('endSession moves the rest of the request to the new session and writes the logout cookies', async () => {
    const { fetch, posted } = recordingFetch();
    const client = createClient({ apiKey: 'k', fetch });
    const cookies: string[] = [];
    const scope = client.handle(navigation(cookies));
    client.run(scope, () => {
      client.endSession();
      client.event('after-logout');
    });
    expect(cookies.some((c) => c.startsWith('tl_act='))).toBe(true);
    await client.flush();
    const items = posted.flatMap((x) => x.items);
    const end = items.find((i) => i.type === 'session_end');
    expect(end?.session_id).toBe(scope.identity.sessionId);
    expect(items.find((i) => i.name === 'after-logout')?.session_id).toBe(end?.next_session_id);
    await client.close();
  });
});
