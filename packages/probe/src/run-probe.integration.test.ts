// The probe against real buggy apps (L1-L4) finds the right kind of leak, and finds none in their fixes or the SDK.
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeReport } from './probe-report.js';
import { runProbe } from './run-probe.js';
import { serveIpcApp, serveIpcAppFixed } from './test-support/ipc-app.js';
import type { RunningApp } from './test-support/serve-app.js';
import { serveSessionFlapApp, serveSessionFlapAppFixed } from './test-support/session-flap-app.js';
import { serveSharedStateApp, serveSharedStateAppFixed } from './test-support/shared-state-app.js';
import { serveTouchlineApp } from './test-support/touchline-app.js';
import {
  serveTouchlineExpressApp,
  serveTouchlineFastifyApp,
  serveTouchlineHonoApp,
  serveTouchlineKoaApp,
} from './test-support/touchline-framework-apps.js';
import { serveWrongConnectionApp, serveWrongConnectionAppFixed } from './test-support/wrong-connection-app.js';
import type { ViolationKind } from './violation.js';

const running: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

async function probe(start: () => Promise<RunningApp>): Promise<ProbeReport> {
  const app = await start();
  running.push(app);
  return runProbe({ baseUrl: app.url, users: 40, requests: 400, concurrency: 50, maxDurationMs: 10_000 });
}

const kindsOf = (report: ProbeReport): ViolationKind[] =>
  (Object.entries(report.summary.byKind) as Array<[ViolationKind, number]>).filter(([, n]) => n > 0).map(([k]) => k);

function expectClean(report: ProbeReport): void {
  expect(report.violations).toEqual([]);
  expect(report.summary).toMatchObject({ requests: 400, errors: 0, violations: 0, stopped: 'complete' });
}

describe("runProbe catches each lesson's bug", () => {
  it('L1 shared request state: crossed responses and foreign cookies', async () => {
    const report = await probe(serveSharedStateApp);
    expect(report.summary.byKind['crossed-response']).toBeGreaterThan(0);
    expect(report.summary.byKind['foreign-cookie']).toBeGreaterThan(0);
    const crossed = report.violations.find((v) => v.kind === 'crossed-response');
    // The marker found in the body is someone else's: compared whole, since "probe-x-1" is a prefix of "probe-x-10".
    const marker = /^(probe-[0-9a-f]+-\d+) in body$/.exec(crossed?.received ?? '')?.[1];
    expect(marker).toBeDefined();
    expect(marker).not.toBe(crossed?.user);
  });

  it('L2 rolling random session id: the session flaps', async () => {
    const report = await probe(serveSessionFlapApp);
    expect(kindsOf(report)).toEqual(['session-flap']);
    expect(report.violations[0]?.received).toMatch(/^sid set back to (\S+) \(.*\1 -> .+ -> \1\)$/);
  });

  it('L3 IPC without correlation ids: replies cross between users', async () => {
    const report = await probe(serveIpcApp);
    expect(kindsOf(report)).toEqual(['crossed-response']);
  });

  it("L4 response written on another request's connection: crossed responses", async () => {
    const report = await probe(serveWrongConnectionApp);
    expect(kindsOf(report)).toEqual(['crossed-response']);
  });

  it('L4 across two endpoints: the crossed answers also have the wrong shape', async () => {
    const app = await serveWrongConnectionApp();
    running.push(app);
    const script = () => [
      { method: 'GET', path: '/' },
      { method: 'GET', path: '/cart' },
    ];
    const report = await runProbe({ baseUrl: app.url, users: 40, requests: 400, concurrency: 50, script });
    expect(kindsOf(report)).toEqual(['crossed-response', 'shape-mismatch']);
    expect(report.violations.find((v) => v.kind === 'shape-mismatch')?.received).toMatch(
      /^x-probe-path \/(cart)?$|keys/,
    );
  });
});

describe('runProbe on the Touchline SDK', () => {
  it('sees a visitor id in every response and no leak, with racing first requests per browser', async () => {
    const app = await serveTouchlineApp();
    running.push(app);
    const report = await runProbe({
      baseUrl: app.url,
      users: 40,
      requests: 400,
      concurrency: 50,
      script: (user) => [
        {
          method: 'GET',
          path: '/page',
          expect: (res) => {
            const body = res.json as { visitor?: unknown; user?: unknown } | undefined;
            if (typeof body?.visitor !== 'string') return 'no Touchline visitor in the request scope';
            return body.user === user.id ? null : `answered for ${String(body.user)}`;
          },
        },
      ],
    });
    expectClean(report);
  });
});

describe('runProbe reports nothing when there is nothing to report', () => {
  it.each([
    ['L1 fixed (request-local state)', serveSharedStateAppFixed],
    ['L2 fixed (id written once, expiry in its own cookie)', serveSessionFlapAppFixed],
    ['L3 fixed (correlation ids)', serveIpcAppFixed],
    ['L4 fixed (each handler writes its own res)', serveWrongConnectionAppFixed],
    ['the Touchline SDK node:http adapter', serveTouchlineApp],
    ['the Touchline SDK Express adapter', serveTouchlineExpressApp],
    ['the Touchline SDK Koa adapter', serveTouchlineKoaApp],
    ['the Touchline SDK Fastify adapter', serveTouchlineFastifyApp],
    ['the Touchline SDK Hono adapter', serveTouchlineHonoApp],
  ])('%s', async (_name, start) => {
    expectClean(await probe(start));
  });
});
