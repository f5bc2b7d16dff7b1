// Privacy end to end: a real app with the SDK, a real collector, the bytes of the SQLite files: IPs are truncated before storage, cookies carry secure flags.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type TouchlineClient } from '@touchline/node';
import { withTouchline } from '@touchline/node/http';
import { startCollector, type Fixture } from './test-support/collector-fixture.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const IPV4 = '203.0.113.77';
const IPV6 = '2001:db8:abcd:12:3456:789a:bcde:f012';

/** A shop behind a proxy (trustProxy), recording one event per page. */
async function startShop(client: TouchlineClient): Promise<string> {
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

/** A top-level page load as a browser sends it (node:http, because fetch adds its own Sec-Fetch-* headers). */
const navigate = (url: string, headers: Record<string, string>): Promise<string[]> =>
  new Promise((resolve, reject) => {
    get(
      `${url}/?utm_source=news&utm_medium=email`,
      {
        headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers['set-cookie'] ?? []));
      },
    ).on('error', reject);
  });

/** Everything SQLite has written, main file and WAL, as one latin1 string to search. */
function databaseBytes(fx: Fixture): string {
  const db = fx.databaseUrl; // the fixture's default storage is a SQLite file
  return [db, `${db}-wal`]
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('\n');
}

async function runVisits(storeFullIp: boolean): Promise<{ bytes: string; cookies: string[][] }> {
  const fx = await startCollector({ storeFullIp });
  cleanup.push(() => fx.close());
  const client = createClient({
    apiKey: await fx.keyFor('shop'),
    endpoint: fx.url,
    trustProxy: true,
    batch: { flushIntervalMs: 10 },
  });
  cleanup.push(() => client.close({ timeoutMs: 100 }));
  const shop = await startShop(client);
  const https = await navigate(shop, {
    'x-forwarded-for': IPV4,
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'shop.example',
  });
  const plain = await navigate(shop, { 'x-forwarded-for': IPV6 });
  const flushed = await client.flush({ timeoutMs: 10_000 });
  expect(flushed.stats).toMatchObject({ delivered: 4 }); // two pageviews, two events
  expect(flushed.stats.dropped).toEqual({});
  await fx.collector.worker.drain();
  return { bytes: databaseBytes(fx), cookies: [https, plain] };
}

describe('privacy end to end', () => {
  it('truncates IPv4 to /24 and IPv6 to /48 before anything reaches the database', async () => {
    const { bytes } = await runVisits(false);
    expect(bytes).toContain('203.0.113.0');
    expect(bytes).not.toContain(IPV4);
    expect(bytes).toContain('2001:db8:abcd::');
    expect(bytes).not.toContain('3456:789a');
  });

  it('stores full addresses only when storeFullIp is set (so the search above can see them)', async () => {
    const { bytes } = await runVisits(true);
    expect(bytes).toContain(IPV4);
    expect(bytes).toContain(IPV6);
  });

  it('sets identity cookies HttpOnly, SameSite=Lax, Path=/, and Secure when the page is https', async () => {
    const {
      cookies: [https = [], plain = []],
    } = await runVisits(false);
    expect(https.length).toBeGreaterThanOrEqual(2);
    for (const cookie of https) expect(cookie).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(plain.length).toBeGreaterThanOrEqual(2);
    for (const cookie of plain) expect(cookie).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/); // 'auto': no Secure on plain http
  });
});
