// Issue 17 items 1 and 3 in real headless Chromium: 20 browsers each opening two tabs at once count as 20 visitors and 20 sessions.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type TouchlineClient } from '@touchline/node';
import { withTouchline } from '@touchline/node/http';
import { chromiumAvailable, launchChromium } from '../../dashboard/src/test-support/headless-chromium.js';
import { startCollector, type Fixture } from './test-support/collector-fixture.js';
import { waitUntil } from './test-support/wait-until.js';

const available = chromiumAvailable(import.meta.url);
/** Headless Chromium says "HeadlessChrome", which isbot (rightly) refuses identity. */
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const BROWSERS = 20;
/** Browsers driven at once: each still opens its two tabs together; this only bounds the load on a small machine. */
const AT_ONCE = 4;
/** The app answers documents this late, so both tabs' navigations are always in flight together (the race is certain). */
const DOCUMENT_DELAY_MS = 150;

/** Six parallel subresources and six parallel fetches, all through the middleware; `done` when every fetch answered. */
const PAGE = (title: string): string => `<!doctype html><html><head><title>${title}</title>
  <link rel="stylesheet" href="/assets/site.css?p=${title}"><script src="/assets/app.js?p=${title}"></script></head><body>
  ${[1, 2, 3, 4].map((n) => `<img src="/assets/i${n}.png?p=${title}">`).join('')}
  <script>Promise.all([1,2,3,4,5,6].map((n) => fetch('/api/cart?n=' + n, { headers: { accept: 'application/json' } })))
    .then(() => { document.title = 'done'; });</script></body></html>`;

/** Evaluated in the page (a string: this file is compiled without the DOM's types). */
const ALL_FETCHED = "document.title === 'done'";

describe.runIf(available)('racing first navigations in headless Chromium (DESIGN.md L10)', () => {
  let browser: Browser;
  let collector: Fixture;
  let client: TouchlineClient;
  let app: ReturnType<typeof createServer>;
  let appUrl: string;
  let key: string;
  /** Visitors the middleware minted (navigations with no identity cookie yet): more than 20 means tabs raced. */
  let minted = 0;

  beforeAll(async () => {
    collector = await startCollector();
    key = await collector.keyFor('racing');
    client = createClient({ apiKey: key, endpoint: collector.url, batch: { flushIntervalMs: 20 } });
    app = createServer(
      withTouchline(client, (req: IncomingMessage, res: ServerResponse) => {
        const path = new URL(req.url ?? '/', 'http://app').pathname;
        if (path.startsWith('/assets/')) {
          res
            .writeHead(200, {
              'content-type': path.endsWith('.css')
                ? 'text/css'
                : path.endsWith('.js')
                  ? 'text/javascript'
                  : 'image/png',
            })
            .end('');
        } else if (path.startsWith('/api/')) {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
        } else {
          if (client.current()?.identity.started === 'new_visitor') minted += 1;
          setTimeout(
            () => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE(path.slice(1))),
            DOCUMENT_DELAY_MS,
          );
        }
      }),
    );
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
    await client?.close({ timeoutMs: 5_000 });
    await collector?.close();
  });

  /** One browser: two tabs opened at the same instant, each page's subresources and fetches, then a reload of both. */
  async function oneBrowser(n: number): Promise<void> {
    const context: BrowserContext = await browser.newContext({ userAgent: USER_AGENT });
    try {
      const tabs = await Promise.all([context.newPage(), context.newPage()]);
      await Promise.all(tabs.map((tab, t) => tab.goto(`${appUrl}/p${n}-${t}`)));
      await Promise.all(tabs.map((tab) => tab.waitForFunction(ALL_FETCHED)));
      await Promise.all(tabs.map((tab) => tab.reload()));
      await Promise.all(tabs.map((tab) => tab.waitForFunction(ALL_FETCHED)));
    } finally {
      await context.close();
    }
  }

  it(`${BROWSERS} browsers x two tabs at once, subresources, fetches and a reload: /api/v1/stats reports exactly ${BROWSERS} visitors and ${BROWSERS} sessions`, async () => {
    for (let next = 0; next < BROWSERS; next += AT_ONCE) {
      await Promise.all(Array.from({ length: Math.min(AT_ONCE, BROWSERS - next) }, (_, i) => oneBrowser(next + i)));
    }
    await client.flush();
    await waitUntil(
      'the collector has processed every item',
      async () => (await collector.storage.inboxHealth()).pending === 0,
      { timeoutMs: 30_000 },
    );
    const response = await fetch(`${collector.url}/api/v1/stats`, { headers: { authorization: `Bearer ${key}` } });
    const stats = (await response.json()) as { visitors: number; sessions: number; events: number };
    // Each reloaded tab's pageview plus its landing: 4 pageviews per browser, all counted, none lost to a ghost.
    expect({ visitors: stats.visitors, sessions: stats.sessions, events: stats.events }).toEqual({
      visitors: BROWSERS,
      sessions: BROWSERS,
      events: 4 * BROWSERS,
    });
    expect(minted).toBeGreaterThan(BROWSERS);
  }, 180_000);
});
