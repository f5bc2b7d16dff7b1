// Consent over real sockets (issue 20 item 3): node:http app + SDK + collector stub; no Touchline cookie or item before consent, GPC/DNT honoured when configured.
import { get, createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { withTouchline } from '../middleware/http/index.js';
import { startCollectorStub } from '../middleware/test-support/collector-stub.js';
import { createClient, type TouchlineClient } from './create-client.js';
import type { ClientSettingsInput } from '../client-settings.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** The site's own rule: track fully once its consent banner set `site_consent=yes`. */
const bySiteCookie: ClientSettingsInput['consent'] = (req) => (req.cookie('site_consent') === 'yes' ? 'full' : 'none');

async function startShop(settings: Partial<ClientSettingsInput>) {
  const stub = await startCollectorStub();
  const errors: string[] = [];
  const client: TouchlineClient = createClient({
    apiKey: 'test',
    endpoint: stub.url,
    batch: { flushIntervalMs: 10 },
    ...settings,
  });
  client.on('error', ({ error }) => {
    errors.push(error.message);
  });
  const dropped: string[] = [];
  client.on('dropped', ({ reason }) => {
    dropped.push(reason);
  });
  const server: Server = createServer(
    withTouchline(client, (_req, res) => {
      client.event('viewed_product');
      res.appendHeader('set-cookie', 'site_session=abc; Path=/'); // the app's own cookie, beside Touchline's
      res.end('<html>shop</html>');
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(async () => {
    await client.close({ timeoutMs: 2_000 });
    await stub.close();
    await new Promise((r) => server.close(r));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  /** A page load as a browser sends it; resolves to the Set-Cookie names Touchline wrote. */
  const navigate = (headers: Record<string, string> = {}): Promise<string[]> =>
    new Promise((resolve, reject) => {
      get(
        `${url}/product?utm_source=news`,
        { headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', ...headers } },
        (res) => {
          res.resume();
          res.on('end', () =>
            resolve(
              (res.headers['set-cookie'] ?? []).map((c) => c.split('=')[0] ?? '').filter((n) => n.startsWith('tl_')),
            ),
          );
        },
      ).on('error', reject);
    });
  return { client, stub, errors, dropped, navigate, flush: () => client.flush({ timeoutMs: 2_000 }) };
}

describe('consent: a function of the request', () => {
  it('sets no Touchline cookie and sends nothing before consent; tracks fully after; a withdrawal stops reading the old cookies', async () => {
    const shop = await startShop({ consent: bySiteCookie });
    expect(await shop.navigate()).toEqual([]);
    expect(await shop.navigate({ cookie: 'site_consent=no' })).toEqual([]);
    await shop.flush();
    expect(shop.stub.items()).toEqual([]);
    expect(shop.dropped).toEqual(['no_consent', 'no_consent']);
    expect(shop.errors).toEqual([]);

    const names = await shop.navigate({ cookie: 'site_consent=yes' });
    expect(names).toContain('tl_vid');
    await shop.flush();
    expect(
      shop.stub
        .items()
        .map((i) => i.type)
        .sort(),
    ).toEqual(['event', 'pageview']);

    // Consent withdrawn: the browser still sends its Touchline cookies; they are neither used nor renewed.
    const before = shop.stub.items().length;
    expect(
      await shop.navigate({ cookie: `site_consent=no; tl_vid=${shop.stub.items()[0]?.visitor_id ?? ''}` }),
    ).toEqual([]);
    await shop.flush();
    expect(shop.stub.items()).toHaveLength(before);
  });

  it('honours Sec-GPC: 1 and DNT: 1 over the consent rule when privacySignals is none, and not when ignore', async () => {
    const honour = await startShop({ consent: bySiteCookie, privacySignals: 'none' });
    expect(await honour.navigate({ cookie: 'site_consent=yes', 'sec-gpc': '1' })).toEqual([]);
    expect(await honour.navigate({ cookie: 'site_consent=yes', dnt: '1' })).toEqual([]);
    await honour.flush();
    expect(honour.stub.items()).toEqual([]);
    expect(await honour.navigate({ cookie: 'site_consent=yes', 'sec-gpc': '0' })).toContain('tl_vid');

    const ignore = await startShop({ consent: bySiteCookie });
    expect(await ignore.navigate({ cookie: 'site_consent=yes', 'sec-gpc': '1', dnt: '1' })).toContain('tl_vid');
    const noRule = await startShop({ privacySignals: 'none' });
    expect(await noRule.navigate({ 'sec-gpc': '1' })).toEqual([]);
    expect(await noRule.navigate()).toContain('tl_vid');
  });

  it('tracks nothing when the rule throws or answers something else, and says why', async () => {
    const shop = await startShop({
      consent: () => {
        throw new Error('banner state unreadable');
      },
    });
    expect(await shop.navigate()).toEqual([]);
    const odd = await startShop({ consent: (() => 'yes') as unknown as ClientSettingsInput['consent'] });
    expect(await odd.navigate()).toEqual([]);
    await shop.flush();
    expect(shop.stub.items()).toEqual([]);
    expect(shop.errors).toEqual(['consent rule threw: banner state unreadable (the request was not tracked)']);
    expect(odd.errors).toEqual([
      "consent rule returned \"yes\"; expected 'full', 'cookieless' or 'none' (the request was not tracked)",
    ]);
  });

  it('without a consent setting tracks every request as before', async () => {
    const shop = await startShop({});
    expect(await shop.navigate({ 'sec-gpc': '1' })).toContain('tl_vid');
  });
});
