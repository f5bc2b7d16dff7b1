// Issue 17 item 2 in real headless Chromium: speculation rules prefetch and prerender; only pages the user opens count, once.
import { createServer } from 'node:http';
import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../../../dashboard/src/test-support/headless-chromium.js';
import { viewBeaconScript } from '../../client/view-beacon.js';
import { listenLocal, type LocalServer } from '../test-support/local-server.js';
import { startTestClient, type TestClient } from '../test-support/test-client.js';
import { touchlineExpress } from './index.js';

const available = chromiumAvailable(import.meta.url);
/** Headless Chromium says "HeadlessChrome", which isbot (rightly) refuses identity. */
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';

/**
 * Every page prefetches /b and prerenders /c (Speculation Rules, immediate), and carries the view
 * beacon: inline (viewBeaconScript), or as the navigation beacon script the middleware serves.
 */
function page(client: TestClient['client'], title: string, served: boolean): string {
  const beacon = client.settings.viewBeaconPath === false ? '' : viewBeaconScript(client.settings.viewBeaconPath);
  const script = served ? '<script src="/_touchline/beacon.js"></script>' : `<script>${beacon}</script>`;
  return `<!doctype html><html><head><title>${title}</title>${script}
    <script type="speculationrules">{"prefetch":[{"source":"list","urls":["/b"]}],"prerender":[{"source":"list","urls":["/c"]}]}</script>
    </head><body><a id="b" href="/b">b</a> <a id="c" href="/c">c</a></body></html>`;
}

describe.runIf(available).each(['inline view beacon', 'served navigation beacon script'])(
  'speculative loads in headless Chromium (Express, %s)',
  (variant) => {
    const served = variant.startsWith('served');
    let browser: Browser;
    let tc: TestClient;
    let server: LocalServer;
    /** Every document request the app saw, with its Sec-Purpose. */
    const seen: Array<{ path: string; purpose: string | null }> = [];

    beforeAll(async () => {
      tc = await startTestClient();
      const app = express();
      app.use((req, _res, next) => {
        if (req.headers['sec-fetch-dest'] === 'document')
          seen.push({ path: req.path, purpose: (req.headers['sec-purpose'] as string | undefined) ?? null });
        next();
      });
      app.use(touchlineExpress(tc.client));
      for (const name of ['a', 'b', 'c'])
        app.get(`/${name}`, (_req, res) => {
          res.type('html').send(page(tc.client, name, served));
        });
      server = await listenLocal(createServer(app));
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await tc?.close();
    });

    /** Pageviews the collector got, as paths, after the client flushed. */
    async function pageviews(): Promise<Array<{ path: string; visitor: string; session: string | null }>> {
      await tc.client.flush();
      return tc.stub
        .items()
        .filter((i) => i.type === 'pageview')
        .map((i) => ({ path: new URL(i.context?.url ?? '').pathname, visitor: i.visitor_id, session: i.session_id }));
    }

    /** Waits until the app has seen the speculative requests for /b and /c. */
    async function speculated(from: number): Promise<void> {
      await expect
        .poll(
          () =>
            seen
              .slice(from)
              .filter((s) => s.purpose !== null)
              .map((s) => s.path)
              .sort(),
          { timeout: 15_000 },
        )
        .toEqual(['/b', '/c']);
    }

    it('counts the landing only when nothing speculative is opened, and mints identity only there', async () => {
      const before = (await pageviews()).length;
      const from = seen.length;
      const context = await browser.newContext({ userAgent: USER_AGENT });
      const tab = await context.newPage();
      await tab.goto(`${server.url}/a`);
      await speculated(from);
      await tab.waitForTimeout(500);
      const cookies = await context.cookies();
      await context.close();
      const views = (await pageviews()).slice(before);
      expect(views.map((v) => v.path)).toEqual(['/a']);
      expect(cookies.filter((c) => c.name === 'tl_vid').map((c) => c.value)).toEqual([views[0]?.visitor]);
    });

    it.each(['b', 'c'])(
      'counts a speculatively loaded page once when the user opens it (/%s), in the same visit',
      async (target) => {
        const before = (await pageviews()).length;
        const from = seen.length;
        const context = await browser.newContext({ userAgent: USER_AGENT });
        const tab = await context.newPage();
        await tab.goto(`${server.url}/a`);
        await speculated(from);
        await tab.click(`#${target}`);
        await tab.waitForURL(`**/${target}`);
        await expect.poll(async () => (await pageviews()).length - before, { timeout: 15_000 }).toBe(2);
        await tab.waitForTimeout(500);
        await context.close();
        const views = (await pageviews()).slice(before);
        expect(views.map((v) => v.path)).toEqual(['/a', `/${target}`]);
        expect(new Set(views.map((v) => v.visitor)).size).toBe(1);
        expect(new Set(views.map((v) => v.session)).size).toBe(1);
        // The opened page came from the speculative load: the server never saw a plain navigation to it.
        expect(
          seen
            .slice(from)
            .filter((s) => s.path === `/${target}`)
            .every((s) => s.purpose !== null),
        ).toBe(true);
      },
    );
  },
);
