// Cookieless mode end to end: two app servers with the SDK in cookieless mode, a real collector (SQLite and PostgreSQL); no cookie anywhere, visitors and sessions counted by the collector.
import { createServer, get, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { COOKIELESS_ID, newId } from '@touchline/core';
import { createClient, type TouchlineClient } from '@touchline/node';
import { withTouchline } from '@touchline/node/http';
import { storageFactories } from '../../storage/src/test-support/storage-factories.js';
import { rawRows } from '../../storage/src/test-support/raw-sql.js';
import { getJson, postBatch, startCollector } from './test-support/collector-fixture.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/** Three browsers: the first and last share an address (a household), with different browsers. */
const BROWSERS = [
  { ip: '203.0.113.7', ua: FIREFOX },
  { ip: '198.51.100.9', ua: CHROME },
  { ip: '203.0.113.7', ua: CHROME },
];

async function startApp(client: TouchlineClient): Promise<string> {
  const server: Server = createServer(
    withTouchline(client, (_req, res) => {
      client.event('viewed_page');
      res.end('<html>shop</html>');
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => server.close(r)));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
}

/** A page load behind the site's proxy; resolves to the response's Set-Cookie headers. */
const navigate = (url: string, path: string, browser: (typeof BROWSERS)[number]): Promise<string[]> =>
  new Promise((resolve, reject) => {
    get(
      `${url}${path}`,
      {
        headers: {
          accept: 'text/html',
          'sec-fetch-mode': 'navigate',
          'sec-fetch-dest': 'document',
          'user-agent': browser.ua,
          'x-forwarded-for': browser.ip,
          'x-forwarded-host': 'shop.example',
          'x-forwarded-proto': 'https',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers['set-cookie'] ?? []));
      },
    ).on('error', reject);
  });

describe.each(await storageFactories(process.env, import.meta.url))(
  'cookieless mode end to end on $dialect',
  (factory) => {
    it('counts three browsers behind two app servers as three visitors in three sessions, with no cookie and no full address stored', async () => {
      // storeFullIp is on: cookieless items are truncated anyway.
      const fx = await startCollector({ storeFullIp: true }, factory);
      cleanup.push(() => fx.close());
      const key = await fx.keyFor('shop');
      const clients = [0, 1].map(() =>
        createClient({
          apiKey: key,
          endpoint: fx.url,
          trustProxy: true,
          mode: 'cookieless',
          batch: { flushIntervalMs: 10 },
        }),
      );
      for (const c of clients) cleanup.push(() => c.close({ timeoutMs: 1000 }));
      const apps = await Promise.all(clients.map(startApp));
      const cookies: string[] = [];
      // Each browser loads three pages, alternating app servers (no sticky sessions).
      for (let page = 0; page < 3; page++) {
        for (const [b, browser] of BROWSERS.entries())
          cookies.push(...(await navigate(apps[(page + b) % 2] as string, `/p${page}?b=${b}`, browser)));
      }
      expect(cookies).toEqual([]);
      for (const c of clients) expect((await c.flush({ timeoutMs: 10_000 })).stats.dropped).toEqual({});
      await fx.collector.worker.drain();
      expect((await getJson(fx.url, key, '/api/v1/stats')).body).toMatchObject({
        visitors: 3,
        sessions: 3,
        events: 18,
      });
      const visitors = await rawRows<{ id: string }>(
        { url: fx.databaseUrl, storage: fx.storage },
        'SELECT id FROM visitors',
      );
      expect(visitors.map((v) => v.id[14])).toEqual(['8', '8', '8']); // the collector's UUIDv8 hashes, never the nil id
      const payloads = await rawRows<{ payload: string }>(
        { url: fx.databaseUrl, storage: fx.storage },
        'SELECT payload FROM inbox',
      );
      expect(payloads.some((p) => p.payload.includes('"203.0.113.0"'))).toBe(true);
      expect(payloads.some((p) => p.payload.includes('203.0.113.7') || p.payload.includes('198.51.100.9'))).toBe(false);
    });

    it('refuses a cookieless item without the address, naming the field', async () => {
      const fx = await startCollector({}, factory);
      cleanup.push(() => fx.close());
      const key = await fx.keyFor('shop');
      const item = {
        type: 'pageview',
        id: newId(),
        timestamp: new Date().toISOString(),
        visitor_id: COOKIELESS_ID,
        session_id: COOKIELESS_ID,
        context: {
          url: 'https://shop.example/',
          referrer: null,
          user_agent: FIREFOX,
          ip: null,
          utm: {},
          click_ids: {},
          session_start: null,
        },
      };
      const answer = await postBatch(fx.url, key, [item]);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toContain(
        'items[0].context: a cookieless item (visitor_id 00000000-0000-0000-0000-000000000000) needs context.ip and context.user_agent',
      );
    });
  },
);
