// Issue 18 item 4: a platform that freezes the process right after the response (SIGSTOP) loses nothing with `serverless` settings.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollectorStub, type CollectorStub } from '../test-support/collector-stub.js';
import { NAVIGATION_HEADERS, SimulatedBrowser } from '../test-support/simulated-browser.js';

const APP = fileURLToPath(new URL('../test-support/freezable-app.mjs', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Frozen {
  child: ChildProcess;
  lines: string[];
}

/** Starts the app in `mode`; resolves once it listens. */
async function startApp(mode: string, endpoint: string): Promise<Frozen & { port: number }> {
  const child = spawn(process.execPath, [APP, mode, endpoint], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const line = lines.find((l) => l.startsWith('listening '));
    if (line !== undefined) return { child, lines, port: Number(line.slice(10)) };
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`app did not start (exit ${child.exitCode}): ${stderr}`);
    await sleep(10);
  }
}

/** Waits for a line the app printed; the app is still running meanwhile. */
async function lineFrom(app: Frozen, wanted: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!app.lines.includes(wanted)) {
    if (Date.now() > deadline) throw new Error(`no "${wanted}" from the app: ${app.lines.join(' | ')}`);
    await sleep(2);
  }
}

describe('serverless delivery: the process is frozen right after the response', () => {
  let stub: CollectorStub | undefined;
  let app: Frozen | undefined;
  afterEach(async () => {
    if (app?.child.pid !== undefined) {
      app.child.kill('SIGCONT');
      app.child.kill('SIGKILL');
    }
    await stub?.close();
  });

  /**
   * One navigation that records a purchase, then SIGSTOP as soon as the platform considers the
   * invocation done: when the response has arrived (no waitUntil) or when the response finished
   * and every waitUntil promise settled. Frozen for longer than the control's batch interval.
   */
  async function purchaseThenFreeze(mode: 'batched' | 'hold' | 'waitUntil'): Promise<string[]> {
    stub = await startCollectorStub();
    const started = await startApp(mode, stub.url);
    app = started;
    // node:http, not fetch: fetch would replace the navigation's Sec-Fetch-Mode with its own.
    const response = await new SimulatedBrowser('b', `http://127.0.0.1:${started.port}`).send({
      path: '/buy',
      headers: NAVIGATION_HEADERS,
    });
    expect(response).toMatchObject({ status: 200, body: 'ok' });
    expect(response.setCookies.length).toBeGreaterThan(0);
    if (mode === 'waitUntil') await lineFrom(started, 'idle 1');
    started.child.kill('SIGSTOP');
    await sleep(1500);
    return stub.items().map((i) => i.type);
  }

  it('without serverless settings (the control), a frozen process has delivered nothing: the loss is real', async () => {
    expect(await purchaseThenFreeze('batched')).toEqual([]);
  });

  it('with the bounded flush at response end, everything is delivered before the response completes', async () => {
    expect(await purchaseThenFreeze('hold')).toEqual(['pageview', 'conversion']);
  });

  it("with the platform's waitUntil, everything is delivered by the time the platform freezes", async () => {
    expect(await purchaseThenFreeze('waitUntil')).toEqual(['pageview', 'conversion']);
  });
});
