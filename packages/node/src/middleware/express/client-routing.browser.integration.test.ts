// Issue 18 item 3 in real headless Chromium: a client-routed page (pushState, replaceState, back button, bfcache) with the navigation beacon, against a real collector.
import { createServer } from 'node:http';
import express from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumAvailable } from '../../../../dashboard/src/test-support/headless-chromium.js';
import { getJson, startCollector, type Fixture } from '../../../../server/src/test-support/collector-fixture.js';
import { createClient, type TouchlineClient } from '../../client/create-client.js';
import { listenLocal, type LocalServer } from '../test-support/local-server.js';
import { touchlineExpress } from './index.js';

const available = chromiumAvailable(import.meta.url);
/** Headless Chromium says "HeadlessChrome", which isbot (rightly) refuses identity. */
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';

/**
 * A tiny client-side router, as React Router or Vue Router do it: links with data-route call
 * pushState and render; popstate renders. `window.restored` records bfcache restores, so the test
 * can say which way the back navigation came.
 */
const SPA = `<!doctype html><html><head><title>spa</title><script src="/_touchline/beacon.js"></script></head><body>
<nav><a data-route href="/spa/home" id="home">home</a> <a data-route href="/spa/products" id="products">products</a>
<a data-route href="/spa/about" id="about">about</a> <a href="#details" id="anchor">details</a> <a href="/plain" id="plain">plain</a></nav>
<h1 id="title"></h1><p id="details">details</p>
<script>
window.restored = 0;
addEventListener('pageshow', function (e) { if (e.persisted) window.restored += 1; });
function render() { document.getElementById('title').textContent = location.pathname + location.search; }
document.addEventListener('click', function (e) {
  var a = e.target.closest('a[data-route]'); if (!a) return;
  e.preventDefault(); history.pushState({}, '', a.getAttribute('href')); render();
});
addEventListener('popstate', render);
history.replaceState({ boot: true }, '', location.href);
render();
</script></body></html>`;

const PLAIN =
  '<!doctype html><html><head><title>plain</title><script src="/_touchline/beacon.js"></script></head><body><h1 id="title">plain</h1></body></html>';

/** Playwright turns the bfcache off by default; this test needs the browser's real back button. */
function launchWithBfcache(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

interface VisitorEvent {
  type: string;
  url: string | null;
  session_id: string | null;
  referrer?: string | null;
}

describe.runIf(available)('client-side routing in headless Chromium (Express, navigation beacon)', () => {
  let fx: Fixture;
  let key: string;
  let client: TouchlineClient;
  let server: LocalServer;
  let browser: Browser;
  /** Every document request the app itself saw. */
  const documents: string[] = [];

  beforeAll(async () => {
    fx = await startCollector();
    key = await fx.keyFor('spa');
    client = createClient({ apiKey: key, endpoint: fx.url, batch: { flushIntervalMs: 20 } });
    const app = express();
    app.use(touchlineExpress(client));
    app.use((req, _res, next) => {
      if (req.headers['sec-fetch-dest'] === 'document') documents.push(req.originalUrl);
      next();
    });
    app.get(/^\/spa(\/.*)?$/, (_req, res) => {
      res.type('html').send(SPA);
    });
    app.get('/plain', (_req, res) => {
      res.type('html').send(PLAIN);
    });
    server = await listenLocal(createServer(app));
    browser = await launchWithBfcache();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await client?.close({ timeoutMs: 2000 });
    await fx?.close();
  });

  const title = (page: Page, text: string): Promise<void> => page.locator('#title', { hasText: text }).waitFor();

  it('stores exactly the pageviews, session and visitor the browser made', async () => {
    const context = await browser.newContext({ userAgent: USER_AGENT });
    const page = await context.newPage();
    const beacons: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/_touchline/view')) beacons.push(new URL(r.url()).searchParams.get('u') ?? '');
    });
    const o = server.url;
    const seen: string[] = [];
    const expectBeacons = async (n: number): Promise<void> => {
      await expect.poll(() => beacons.length, { timeout: 10_000 }).toBe(n);
    };

    await page.goto(`${o}/spa/home`); // a document load: the server counts it, the script does not
    await title(page, '/spa/home');
    seen.push('/spa/home');
    await page.click('#products'); // pushState
    await title(page, '/spa/products');
    seen.push('/spa/products');
    await page.click('#about');
    await title(page, '/spa/about');
    seen.push('/spa/about');
    await page.click('#anchor'); // a hash change is no page
    await page.goBack(); // popstate out of the hash
    await page.goBack(); // popstate: back to /spa/products
    await title(page, '/spa/products');
    seen.push('/spa/products');
    // A router replacing the URL (a tab, a filter): a new page URL, so it counts.
    await page.evaluate("history.replaceState({}, '', '/spa/products?tab=reviews'); render()");
    seen.push('/spa/products?tab=reviews');
    await page.evaluate('history.replaceState({ again: true }, "", location.href)'); // same URL: nothing
    await expectBeacons(4);
    await page.click('#plain'); // a real document load
    await title(page, 'plain');
    seen.push('/plain');
    await page.goBack({ waitUntil: 'commit' }); // bfcache restore (or, without it, a load from the HTTP cache or the server)
    await title(page, '/spa/products?tab=reviews');
    seen.push('/spa/products?tab=reviews');
    const restored = (await page.evaluate('window.restored')) as number;
    await page.reload();
    await title(page, '/spa/products?tab=reviews');
    seen.push('/spa/products?tab=reviews');
    const cookies = await context.cookies();
    await page.waitForTimeout(300);
    await context.close();
    const visitorId = cookies.find((c) => c.name === 'tl_vid')?.value ?? '';
    expect(visitorId).not.toBe('');

    await client.flush({ timeoutMs: 5000 });
    await fx.collector.worker.drain();
    const visitor = await getJson(fx.url, key, `/api/v1/visitors/${visitorId}`);
    const events = visitor.body.events as VisitorEvent[];
    expect(events.filter((e) => e.type === 'pageview').map((e) => (e.url ?? '').slice(o.length))).toEqual(seen);
    expect(new Set(events.map((e) => e.session_id)).size).toBe(1);
    const stats = await getJson(fx.url, key, `/api/v1/stats?from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`);
    expect(stats.body).toMatchObject({ visitors: 1, sessions: 1 });
    // Every page was counted by exactly one side: the server's document requests or the script's beacons.
    expect(documents.length + beacons.length).toBe(seen.length);
    // How the back navigation to the SPA came, for the record: the count above is exact either way.
    console.log(
      `[client-routing] bfcache restores ${restored}; documents the server saw: ${documents.join(' ')}; beacons: ${beacons.length}`,
    );
  });
});
