// Issue 18 item 4 on Hono: the platform's waitUntil (c.executionCtx on a Workers-style runtime, a @vercel/functions-style one in settings) delivers after the response, within the invocation.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Hono, type ExecutionContext } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientSettingsInput } from '../../client-settings.js';
import { serveFetch, type LocalServer, type NodeBindings } from '../test-support/local-server.js';
import { NAVIGATION_HEADERS, SimulatedBrowser } from '../test-support/simulated-browser.js';
import { startTestClient, type TestClient } from '../test-support/test-client.js';
import { touchlineHono } from './index.js';

/** Longer than any test: only the serverless path can have delivered by the time the test looks. */
const NEVER = { flushIntervalMs: 600_000 };
/** Long enough that a loaded machine never turns "held until the collector answers" into a timeout. */
const FLUSH_TIMEOUT_MS = 30_000;

/**
 * One invocation as a serverless platform sees it: alive until its response is sent and every
 * promise handed to its waitUntil has settled; after that the platform may freeze it for good.
 */
class Invocation {
  readonly handed: Array<Promise<unknown>> = [];
  readonly waitUntil = (promise: Promise<unknown>): void => {
    this.handed.push(promise);
  };
  /** What a Workers-style runtime passes as fetch's third argument; Hono exposes it as c.executionCtx. */
  executionContext(): ExecutionContext {
    return { waitUntil: this.waitUntil, passThroughOnException() {}, props: {} };
  }
  /** Resolves when the platform would consider the invocation done (its response is already sent). */
  async done(): Promise<void> {
    while (this.handed.length > 0) {
      const pending = this.handed.splice(0);
      await Promise.allSettled(pending);
    }
  }
}

/**
 * How the runtime runs the app: `executionCtx` as Cloudflare Workers does (`app.fetch(req, env, ctx)`);
 * `context` as Vercel on Node does, where `waitUntil` from @vercel/functions finds its invocation
 * through async context (and does nothing outside one); `plain` as a container with neither.
 */
type Runtime = 'executionCtx' | 'context' | 'plain';

/** A collector that acknowledges a batch only when the test opens the gate. */
function gate(): { opened: Promise<void>; open(): void } {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe("Hono with serverless settings: delivery through the platform's waitUntil", () => {
  let tc: TestClient | undefined;
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    await tc?.close();
  });

  const invocations: Invocation[] = [];
  const current = new AsyncLocalStorage<Invocation>();
  /** @vercel/functions' waitUntil in miniature: the invocation comes from async context, never from an argument. */
  const contextWaitUntil = (promise: Promise<unknown>): void => {
    current.getStore()?.waitUntil(promise);
  };

  async function start(
    runtime: Runtime,
    serverless: ClientSettingsInput['serverless'],
    collectorAnswers: Promise<void>,
  ): Promise<SimulatedBrowser> {
    invocations.length = 0;
    tc = await startTestClient(
      { batch: NEVER, ...(serverless ? { serverless } : {}) },
      { beforeAnswer: () => collectorAnswers },
    );
    const app = new Hono<{ Bindings: NodeBindings }>();
    app.use(touchlineHono(tc.client));
    app.get('/buy', (c) => {
      tc?.client.conversion('purchase', { revenue: 49, currency: 'EUR' });
      return c.text('bought');
    });
    server = await serveFetch((request, env) => {
      const invocation = new Invocation();
      invocations.push(invocation);
      if (runtime === 'executionCtx') return app.fetch(request, env, invocation.executionContext());
      if (runtime === 'context') return current.run(invocation, () => app.fetch(request, env));
      return app.fetch(request, env);
    });
    return new SimulatedBrowser('b', server.url);
  }

  /** The response arrives before the collector has acknowledged anything; the invocation's end brings the acknowledgement. */
  async function expectDeliveryAfterResponse(browser: SimulatedBrowser, collector: { open(): void }): Promise<void> {
    const response = await browser.send({ path: '/buy', headers: NAVIGATION_HEADERS });
    expect(response).toMatchObject({ status: 200, body: 'bought' });
    expect(response.setCookies.length).toBeGreaterThan(0);
    const [invocation] = invocations;
    expect(invocations).toHaveLength(1);
    // Sent while the delivery is still in flight: the response was not held for it.
    expect(invocation?.handed).toHaveLength(1);
    expect(tc?.client.stats()).toMatchObject({ delivered: 0 });
    collector.open();
    await invocation?.done();
    // Acknowledged by the time the platform may freeze the invocation.
    expect(tc?.client.stats()).toMatchObject({ delivered: 2, queued: 0, inFlight: 0 });
    expect(tc?.stub.items().map((i) => i.type)).toEqual(['pageview', 'conversion']);
    expect(tc?.errors).toEqual([]);
  }

  it('c.executionCtx.waitUntil (serverless: {} on a Workers-style runtime) delivers after the response', async () => {
    const collector = gate();
    await expectDeliveryAfterResponse(
      await start('executionCtx', { flushTimeoutMs: FLUSH_TIMEOUT_MS }, collector.opened),
      collector,
    );
  });

  it("a @vercel/functions-style waitUntil in settings finds the request's own invocation (Hono on Node, no c.executionCtx)", async () => {
    const collector = gate();
    await expectDeliveryAfterResponse(
      await start('context', { waitUntil: contextWaitUntil, flushTimeoutMs: FLUSH_TIMEOUT_MS }, collector.opened),
      collector,
    );
  });

  it("settings' waitUntil is used rather than c.executionCtx when both exist", async () => {
    const collector = gate();
    const settingsHanded: Array<Promise<unknown>> = [];
    const browser = await start(
      'executionCtx',
      {
        waitUntil: (p) => {
          settingsHanded.push(p);
        },
        flushTimeoutMs: FLUSH_TIMEOUT_MS,
      },
      collector.opened,
    );
    expect(await browser.send({ path: '/buy', headers: NAVIGATION_HEADERS })).toMatchObject({ status: 200 });
    expect(settingsHanded).toHaveLength(1);
    expect(invocations[0]?.handed).toEqual([]);
    collector.open();
    await settingsHanded[0];
    expect(tc?.client.stats()).toMatchObject({ delivered: 2 });
  });

  it('with neither (serverless: {} on plain Node), the response is held until the collector acknowledges', async () => {
    const collector = gate();
    const browser = await start('plain', { flushTimeoutMs: FLUSH_TIMEOUT_MS }, collector.opened);
    let arrived = false;
    const response = browser.send({ path: '/buy', headers: NAVIGATION_HEADERS }).then((r) => {
      arrived = true;
      return r;
    });
    // The batch has reached the collector, which has not answered: the response must still be waiting.
    await expect.poll(() => tc?.stub.items().length, { timeout: 10_000 }).toBe(2);
    expect(arrived).toBe(false);
    expect(tc?.client.stats()).toMatchObject({ delivered: 0 });
    collector.open();
    expect(await response).toMatchObject({ status: 200, body: 'bought' });
    expect(tc?.client.stats()).toMatchObject({ delivered: 2 });
  });

  it('without serverless settings (the control), the invocation ends with nothing delivered: the loss is real', async () => {
    const collector = gate();
    collector.open();
    const browser = await start('executionCtx', undefined, collector.opened);
    expect(await browser.send({ path: '/buy', headers: NAVIGATION_HEADERS })).toMatchObject({
      status: 200,
      body: 'bought',
    });
    await invocations[0]?.done();
    expect(invocations[0]?.handed).toEqual([]);
    expect(tc?.stub.items()).toEqual([]);
    expect(tc?.client.stats()).toMatchObject({ delivered: 0, queued: 2 });
  });
});
