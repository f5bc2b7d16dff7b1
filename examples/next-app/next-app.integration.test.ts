// The Next.js example built (next build) and started (next start), driven by headless Chromium against a real collector.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../packages/dashboard/src/test-support/headless-chromium.js';
import { getJson, startCollector, type Fixture } from '../../packages/server/src/test-support/collector-fixture.js';

const APP_DIR = fileURLToPath(new URL('.', import.meta.url));
const NEXT_BIN = fileURLToPath(new URL('../../node_modules/next/dist/bin/next', import.meta.url));
const DESKTOP_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const available = chromiumAvailable('examples/next-app/next-app.integration.test.ts');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

function runNext(args: string[], env: Record<string, string>, ready?: RegExp): { child: ChildProcess; done: Promise<string>; output(): string } {
  const child = spawn(process.execPath, [NEXT_BIN, ...args], { cwd: APP_DIR, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env } });
  let output = '';
  const done = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (ready?.test(output)) resolve(output);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`next ${args[0]} exited ${code}:\n${output}`))));
  });
  return { child, done, output: () => output };
}

const statsPath = (): string => `/api/v1/stats?from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`;

interface VisitorEvent { type: string; name: string | null; url: string | null; session_id: string | null }

describe.skipIf(!available)('Next.js example under next start, in Chromium', () => {
  let fx: Fixture;
  let key: string;
  let server: ChildProcess | undefined;
  let serverOutput = (): string => '';
  let browser: Browser | undefined;
  let origin: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    fx = await startCollector();
    key = await fx.keyFor('next-example');
    let started = Date.now();
    // TOUCHLINE_NEXT_REUSE_BUILD=1 (local iteration only) starts the .next left by the previous run.
    if (process.env.TOUCHLINE_NEXT_REUSE_BUILD !== '1') await runNext(['build'], {}).done;
    timings.buildMs = Date.now() - started;
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    started = Date.now();
    const start = runNext(['start', '-p', String(port), '-H', '127.0.0.1'], { TOUCHLINE_KEY: key, TOUCHLINE_ENDPOINT: fx.url, TOUCHLINE_DEBUG: '1' }, /Ready in/);
    server = start.child;
    serverOutput = start.output;
    await start.done;
    timings.startMs = Date.now() - started;
    browser = await launchChromium();
  }, 600_000);

  afterEach((context) => {
    // What the app server said, when the browser's numbers disagree.
    if (context.task.result?.state === 'fail') console.log(serverOutput());
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    await fx?.close();
    // The measurement the issue asks for, printed with the run.
    console.log(`[next-example] next build ${timings.buildMs} ms, next start ready ${timings.startMs} ms`);
  });

  it('stores exactly the pageviews, session, visitor and purchase the browser made', async () => {
    // Headless Chromium says "HeadlessChrome", which the bot check rightly refuses identity.
    const context = await (browser as Browser).newContext({ userAgent: DESKTOP_CHROME });
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.waitForSelector('#title');
    // Client-side <Link> navigations (RSC fetches); Link also prefetches every visible link, which must not count.
    for (const [link, title] of [['#nav-products', 'Products'], ['#nav-about', 'About'], ['#nav-checkout', 'Checkout']] as const) {
      await page.click(link);
      await page.locator('#title', { hasText: title }).waitFor();
    }
    const actionDone = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().headers()['next-action'] !== undefined);
    await page.click('#buy');
    await actionDone;
    await page.reload();
    await page.waitForSelector('#title');
    const cookies = await context.cookies();
    const visitorId = cookies.find((c) => c.name === 'tl_vid')?.value ?? '';
    expect(visitorId).not.toBe('');

    // The landing, three <Link> navigations and the reload. Next.js 15.5 strips RSC,
    // Next-Router-Prefetch and _rsc from the request its middleware sees (server/web/adapter.js), so
    // the middleware counts no RSC fetch; the beacon script (app/layout.tsx) reports each pushState
    // once, and no prefetch is ever counted (see README, Single-page apps and client-side routing).
    const expectedPages = ['/', '/products', '/about', '/checkout', '/checkout'].map((p) => `${origin}${p}`);
    let events: VisitorEvent[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      await fx.collector.worker.drain();
      const visitor = await getJson(fx.url, key, `/api/v1/visitors/${visitorId}`);
      events = (visitor.body.events as VisitorEvent[] | undefined) ?? [];
      const stats = await getJson(fx.url, key, statsPath());
      if (stats.body.conversions === 1 && events.filter((e) => e.type === 'pageview').length >= expectedPages.length) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Let anything still in flight (a stray prefetch pageview would be one) arrive before judging exactness.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await fx.collector.worker.drain();
    const visitor = await getJson(fx.url, key, `/api/v1/visitors/${visitorId}`);
    events = visitor.body.events as VisitorEvent[];
    expect(events.filter((e) => e.type === 'pageview').map((e) => e.url)).toEqual(expectedPages);
    expect(visitor.body.user_ids).toEqual(['buyer@example.com']);
    expect(new Set(events.map((e) => e.session_id)).size).toBe(1);
    // Conversions live in their own table: the account's totals say there is exactly one, of 49.
    const stats = await getJson(fx.url, key, statsPath());
    expect(stats.body).toMatchObject({ visitors: 1, sessions: 1, conversions: 1, revenue: 49 });
    const sessions = await getJson(fx.url, key, `/api/v1/sessions?visitor_id=${visitorId}`);
    expect((sessions.body.sessions as Array<{ landing_url: string }>).map((x) => x.landing_url)).toEqual([`${origin}/`]);
  });
});
