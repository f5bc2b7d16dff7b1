// Test harness of the Next.js examples: next build / next start of one example as child processes, a free port, and the visitor's stored events.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { getJson, type Fixture } from '../../packages/server/src/test-support/collector-fixture.js';

/** Headless Chromium says "HeadlessChrome", which the bot check rightly refuses identity. */
export const DESKTOP_CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      })
      .on('error', reject);
  });
}

export interface NextRun {
  child: ChildProcess;
  done: Promise<string>;
  output(): string;
}

/**
 * Runs `node <nextBin> ...args` in the example's folder. `done` resolves with the output when the
 * process exits 0 or, with `ready`, when the output matches it; it rejects with the output otherwise.
 */
export function runNext(
  nextBin: string,
  appDir: string,
  args: string[],
  env: Record<string, string>,
  ready?: RegExp,
): NextRun {
  const child = spawn(process.execPath, [nextBin, ...args], {
    cwd: appDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
  });
  let output = '';
  const done = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (ready?.test(output)) resolve(output);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`next ${args[0]} exited ${code}:\n${output}`)),
    );
  });
  return { child, done, output: () => output };
}

export const statsPath = (): string => `/api/v1/stats?from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`;

export interface VisitorEvent {
  type: string;
  name: string | null;
  url: string | null;
  session_id: string | null;
}

/**
 * The visitor's events once the collector holds at least `pageviews` pageviews and `conversions`
 * conversions (or 20 s passed), then once more after 1.5 s, so anything still in flight (a stray
 * prefetch pageview would be one) has arrived before the caller judges exactness.
 */
export async function settledEvents(
  fx: Fixture,
  key: string,
  visitorId: string,
  pageviews: number,
  conversions: number,
): Promise<VisitorEvent[]> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    await fx.collector.worker.drain();
    const visitor = await getJson(fx.url, key, `/api/v1/visitors/${visitorId}`);
    const events = (visitor.body.events as VisitorEvent[] | undefined) ?? [];
    const stats = await getJson(fx.url, key, statsPath());
    if (stats.body.conversions === conversions && events.filter((e) => e.type === 'pageview').length >= pageviews)
      break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await fx.collector.worker.drain();
  const visitor = await getJson(fx.url, key, `/api/v1/visitors/${visitorId}`);
  return (visitor.body.events as VisitorEvent[] | undefined) ?? [];
}
