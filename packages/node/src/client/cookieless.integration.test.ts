// Cookieless mode over real sockets (issue 20 item 4): node:http app + SDK + collector stub; no Touchline cookie is ever set, items carry what the collector identifies visitors by.
import { get, createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { COOKIELESS_ID } from '@touchline/core';
import { withTouchline } from '../middleware/http/index.js';
import { startCollectorStub } from '../middleware/test-support/collector-stub.js';
import { createClient, type TouchlineClient } from './create-client.js';
import type { ClientSettingsInput } from '../client-settings.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

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
  const server: Server = createServer(
    withTouchline(client, (req, res) => {
      if (req.url?.startsWith('/logout') === true) client.endSession();
      client.event('viewed_product');
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
  /** One request; resolves to every Set-Cookie header of the response. */
  const request = (path: string, headers: Record<string, string>): Promise<string[]> =>
    new Promise((resolve, reject) => {
      get(`${url}${path}`, { headers: { 'user-agent': UA, ...headers } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers['set-cookie'] ?? []));
      }).on('error', reject);
    });
  const navigate = (path: string, headers: Record<string, string> = {}) =>
    request(path, { accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', ...headers });
  return { stub, errors, request, navigate, flush: () => client.flush({ timeoutMs: 2_000 }) };
}

describe('cookieless mode', () => {
  it("mode 'cookieless' sets no cookie on navigations, API calls or logout, reads none, and sends the nil visitor with IP and user agent", async () => {
    const shop = await startShop({ mode: 'cookieless' });
    expect(await shop.navigate('/product?utm_source=news')).toEqual([]);
    // An old visitor cookie from cookie mode is neither read nor renewed.
    expect(await shop.navigate('/cart', { cookie: 'tl_vid=0190f7c2-0000-7000-8000-0000000000a1; tl_s1=x' })).toEqual(
      [],
    );
    expect(await shop.request('/api/cart', { accept: 'application/json', 'sec-fetch-mode': 'cors' })).toEqual([]);
    expect(await shop.navigate('/logout')).toEqual([]);
    await shop.flush();
    const items = shop.stub.items();
    expect(items.map((i) => i.type).sort()).toEqual([
      'event',
      'event',
      'event',
      'event',
      'pageview',
      'pageview',
      'pageview',
    ]);
    for (const item of items) {
      expect(item.visitor_id).toBe(COOKIELESS_ID);
      expect(item.session_id).toBe(COOKIELESS_ID);
      const context = item.context as { ip: string | null; user_agent: string | null; session_start: string | null };
      expect(context.ip).toMatch(/127\.0\.0\.1$/);
      expect(context.user_agent).toBe(UA);
      expect(context.session_start).toBeNull(); // the collector decides sessions
    }
    expect(shop.errors).toEqual([]);
  });

  it("a consent rule's 'cookieless' tracks without cookies until consent, then with them; mode 'cookieless' caps 'full'", async () => {
    const rule: ClientSettingsInput['consent'] = (req) =>
      req.cookie('site_consent') === 'yes' ? 'full' : 'cookieless';
    const shop = await startShop({ consent: rule });
    expect(await shop.navigate('/product')).toEqual([]);
    await shop.flush();
    expect(shop.stub.items().every((i) => i.visitor_id === COOKIELESS_ID)).toBe(true);
    expect(shop.stub.items()).toHaveLength(2);
    const cookies = await shop.navigate('/product', { cookie: 'site_consent=yes' });
    expect(cookies.map((c) => c.split('=')[0])).toContain('tl_vid');

    const capped = await startShop({ consent: rule, mode: 'cookieless' });
    expect(await capped.navigate('/product', { cookie: 'site_consent=yes' })).toEqual([]);
    await capped.flush();
    expect(capped.stub.items().map((i) => i.visitor_id)).toEqual([COOKIELESS_ID, COOKIELESS_ID]);
  });

  it('refuses cookieless mode without the IP, naming the setting', () => {
    expect(() => createClient({ apiKey: 'test', mode: 'cookieless', captureIp: false })).toThrow(
      /captureIp: must be true with mode 'cookieless'/,
    );
  });
});
