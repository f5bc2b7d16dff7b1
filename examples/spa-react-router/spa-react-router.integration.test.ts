// The React Router SPA example built with Vite and served by its Express server, clicked through in headless Chromium against a real collector.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../packages/dashboard/src/test-support/headless-chromium.js';
import { getJson, startCollector, type Fixture } from '../../packages/server/src/test-support/collector-fixture.js';
import { storageFactories } from '../../packages/storage/src/test-support/storage-factories.js';

const APP_DIR = fileURLToPath(new URL('.', import.meta.url));
const VITE_BIN = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));
/** Headless Chromium says "HeadlessChrome", which the bot check rightly refuses identity. */
const DESKTOP_CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const available = chromiumAvailable('examples/spa-react-router/spa-react-router.integration.test.ts');
/** The collector on SQLite and on PostgreSQL (its own schema per run). */
const factories = available ? await storageFactories(process.env, import.meta.url) : [];

/** Runs node with `args` in the example's folder; `done` resolves on exit 0, or as soon as `ready` matches the output. */
function runNode(
  args: string[],
  env: Record<string, string>,
  ready?: RegExp,
): { child: ChildProcess; done: Promise<RegExpMatchArray | null>; output(): string } {
  const child = spawn(process.execPath, args, { cwd: APP_DIR, env: { ...process.env, ...env } });
  let output = '';
  const done = new Promise<RegExpMatchArray | null>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = ready === undefined ? null : output.match(ready);
      if (match !== null) resolve(match);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) =>
      code === 0 ? resolve(null) : reject(new Error(`node ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
  return { child, done, output: () => output };
}

/** A newsletter link: the session's channel, and so the purchase's credit, must stay email through every client route. */
const LANDING = '/?utm_source=newsletter&utm_medium=email&utm_campaign=spring';

const statsPath = (): string => `/api/v1/stats?from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`;

interface VisitorEvent {
  type: string;
  url: string | null;
  session_id: string | null;
}

describe.runIf(available)('React Router SPA example (Vite build, Express, navigation beacon) in Chromium', () => {
  let browser: Browser | undefined;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const started = Date.now();
    await runNode([VITE_BIN, 'build'], {}).done;
    timings.buildMs = Date.now() - started;
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    console.log(`[spa-example] vite build ${timings.buildMs} ms, server ready ${timings.startMs} ms`);
  });

  describe.each(factories)('collector on $dialect', (factory) => {
    let fx: Fixture;
    let key: string;
    let server: ChildProcess | undefined;
    let serverOutput = (): string => '';
    let origin = '';

    beforeAll(async () => {
      fx = await startCollector({}, factory);
      key = await fx.keyFor('spa-example');
      const started = Date.now();
      const start = runNode(
        ['server.mjs'],
        { PORT: '0', TOUCHLINE_KEY: key, TOUCHLINE_ENDPOINT: fx.url },
        /SPA example on (http:\/\/127\.0\.0\.1:\d+)\//,
      );
      server = start.child;
      serverOutput = start.output;
      origin = (await start.done)?.[1] ?? '';
      timings.startMs = Date.now() - started;
    }, 120_000);
    afterEach((context) => {
      // What the app server said, when the browser's numbers disagree.
      if (context.task.result?.state === 'fail') console.log(serverOutput());
    });
    afterAll(async () => {
      server?.kill('SIGTERM');
      await fx?.close();
    });

    const title = (page: Page, text: string): Promise<void> => page.locator('#title', { hasText: text }).waitFor();

    it('stores exactly the pageviews, session, visitor and purchase the browser made', async () => {
      const context = await (browser as Browser).newContext({ userAgent: DESKTOP_CHROME });
      const page = await context.newPage();
      const documents: string[] = [];
      const beacons: string[] = [];
      page.on('request', (r) => {
        const url = new URL(r.url());
        if (r.resourceType() === 'document') documents.push(url.pathname);
        if (url.pathname === '/_touchline/view') beacons.push(new URL(url.searchParams.get('u') ?? '').pathname);
      });
      const seen: string[] = [];

      // A campaign landing, the first load: counted by the server, never again by the script.
      await page.goto(`${origin}${LANDING}`);
      await title(page, 'Home');
      seen.push(LANDING);
      await page.click('#nav-products'); // <Link>: pushState
      await title(page, 'Products');
      seen.push('/products');
      await page.click('#product-tl-1');
      await title(page, 'Touchline mug');
      seen.push('/products/tl-1');
      await page.click('#buy'); // fetch('/api/purchase'): the server records the conversion, no pageview
      await page.locator('#status', { hasText: 'Thanks' }).waitFor();
      await page.click('#nav-about');
      await title(page, 'About');
      seen.push('/about');
      await page.click('#back'); // history.back(): popstate, the router renders the product again
      await title(page, 'Touchline mug');
      seen.push('/products/tl-1');
      await expect.poll(() => beacons.length, { timeout: 10_000 }).toBe(4);
      await page.reload(); // a document request again: the server counts it
      await title(page, 'Touchline mug');
      seen.push('/products/tl-1');
      const cookies = await context.cookies();
      await page.waitForTimeout(300); // a stray beacon (a double count) would be sent by now
      await context.close();
      const visitorId = cookies.find((c) => c.name === 'tl_vid')?.value ?? '';
      expect(visitorId).not.toBe('');
      // Every page was counted by exactly one side: the server (document requests) or the script.
      expect(documents).toEqual(['/', '/products/tl-1']); // paths: the landing's query is in `seen`
      expect(beacons).toEqual(['/products', '/products/tl-1', '/about', '/products/tl-1']);

      // Bad input to the server's endpoint: a clear error, and nothing recorded (the totals below stay exact).
      const post = (body: string): Promise<Response> =>
        fetch(`${origin}/api/purchase`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const unknownSku = await post('{"sku":"tl-9"}');
      expect([unknownSku.status, await unknownSku.json()]).toEqual([
        400,
        { error: { code: 'bad_sku', message: 'sku must be one of tl-1, tl-2' } },
      ]);
      const malformed = await post('{"sku":');
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ error: { code: 'entity.parse.failed' } });

      // The server delivers in batches (every 200 ms): wait for all of it, then a little longer for strays.
      const expected = seen.map((p) => `${origin}${p}`);
      const deadline = Date.now() + 20_000;
      let events: VisitorEvent[] = [];
      while (Date.now() < deadline) {
        await fx.collector.worker.drain();
        events =
          ((await getJson(fx.url, key, `/api/v1/visitors/${visitorId}`)).body.events as VisitorEvent[] | undefined) ??
          [];
        const stats = await getJson(fx.url, key, statsPath());
        if (stats.body.conversions === 1 && events.filter((e) => e.type === 'pageview').length >= expected.length)
          break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await fx.collector.worker.drain();
      const visitor = await getJson(fx.url, key, `/api/v1/visitors/${visitorId}`);
      events = visitor.body.events as VisitorEvent[];
      expect(events.filter((e) => e.type === 'pageview').map((e) => e.url)).toEqual(expected);
      expect(visitor.body.user_ids).toEqual(['buyer@example.com']);
      expect(new Set(events.map((e) => e.session_id)).size).toBe(1);
      const stats = await getJson(fx.url, key, statsPath());
      expect(stats.body).toMatchObject({ visitors: 1, sessions: 1, conversions: 1, revenue: 24.5 });
      // One session, landing on the campaign URL: no beacon (referrer: the site itself) turned it direct.
      const sessions = await getJson(fx.url, key, `/api/v1/sessions?visitor_id=${visitorId}`);
      expect(
        (sessions.body.sessions as Array<{ landing_url: string; channel: string }>).map((x) => [
          x.landing_url,
          x.channel,
        ]),
      ).toEqual([[`${origin}${LANDING}`, 'email']]);
      const attribution = await getJson(
        fx.url,
        key,
        `/api/v1/attribution?model=last_touch&from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`,
      );
      expect(attribution.body.channels).toEqual([{ channel: 'email', conversions: 1, revenue: 24.5 }]);
    });
  });
});
