// runProbe's bounds: request budget split, concurrency cap, deadline, timeouts and kept-violation cap.
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsError } from '@touchline/core';
import { resolveProbeOptions } from './probe-options.js';
import { runProbe, shareOf } from './run-probe.js';
import { sendJson, userOf } from './test-support/app-kit.js';
import { serveIpcApp } from './test-support/ipc-app.js';
import { serveApp, type Handler, type RunningApp } from './test-support/serve-app.js';

const running: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});
async function start(handler: Handler): Promise<string> {
  const app = await serveApp(handler);
  running.push(app);
  return app.url;
}

describe('options', () => {
  it('splits the request budget evenly', () => {
    const shares = Array.from({ length: 7 }, (_, i) => shareOf(100, 7, i));
    expect(shares).toEqual([15, 15, 14, 14, 14, 14, 14]);
  });

  it('reports every bad option at once', () => {
    expect(() => resolveProbeOptions({ baseUrl: 'http://127.0.0.1/', users: 0, concurrency: 1.5 })).toThrow(
      SettingsError,
    );
    expect(() => resolveProbeOptions({ baseUrl: 'http://127.0.0.1/', users: 0, concurrency: 1.5 })).toThrow(
      /users[\s\S]*concurrency/,
    );
  });

  it('refuses a non-loopback host', async () => {
    await expect(runProbe({ baseUrl: 'http://example.com/' })).rejects.toMatchObject({ code: 'probe_refused' });
  });
});

describe('bounds', () => {
  it('never has more than `concurrency` requests in flight', async () => {
    const gauge = { now: 0, max: 0 };
    const url = await start(async (req, res) => {
      gauge.now += 1;
      gauge.max = Math.max(gauge.max, gauge.now);
      await new Promise((resolve) => setTimeout(resolve, 5));
      gauge.now -= 1;
      sendJson(res, { user: userOf(req) });
    });
    const report = await runProbe({ baseUrl: url, users: 10, requests: 100, concurrency: 7 });
    expect(report.summary).toMatchObject({ requests: 100, errors: 0, violations: 0 });
    expect(gauge.max).toBeGreaterThan(1);
    expect(gauge.max).toBeLessThanOrEqual(7);
  });

  it('stops at maxDurationMs and says so', async () => {
    const url = await start(async (req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      sendJson(res, { user: userOf(req) });
    });
    const began = Date.now();
    const report = await runProbe({ baseUrl: url, users: 4, requests: 10_000, maxDurationMs: 150 });
    expect(Date.now() - began).toBeLessThan(1000);
    expect(report.summary.stopped).toBe('deadline');
    expect(report.summary.requests).toBeLessThan(100);
  });

  it('counts timed-out requests as errors, not violations', async () => {
    const url = await start(() => new Promise(() => {}));
    const report = await runProbe({ baseUrl: url, users: 2, requests: 4, timeoutMs: 50 });
    expect(report.summary).toMatchObject({ requests: 4, errors: 4, violations: 0 });
    expect(report.sampleErrors[0]).toMatch(/timed out after 50 ms/);
  });

  it('keeps at most maxViolations but counts them all', async () => {
    const app = await serveIpcApp();
    running.push(app);
    const report = await runProbe({ baseUrl: app.url, users: 20, requests: 200, maxViolations: 5 });
    expect(report.violations).toHaveLength(5);
    expect(report.summary.violations).toBeGreaterThan(5);
  });
});
