// SDK delivery health end to end: the real SDK against a real collector over real SQLite; 401s, drops and bot navigations reach the checks.
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { createClient, type TouchlineClient } from '@touchline/node';
import { withTouchline } from '@touchline/node/http';
import { openSqliteStorage, type Account, type Storage } from '@touchline/storage';
import { createCollector, type Collector } from '../create-collector.js';
import { generateKey } from '../http/auth/api-keys.js';
import type { CheckResult } from './integrity-report.js';
import { exactly } from '../../../node/src/test-support/exactly.js';

let dir = '';
let storage: Storage;
let collector: Collector;
let url = '';
let account: Account;
const closers: Array<() => Promise<unknown>> = [];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'touchline-sdk-health-'));
  storage = openSqliteStorage({ path: join(dir, 'db.sqlite') });
  collector = createCollector({
    storage,
    settings: { port: 0, keyRefreshMs: 60_000, integrity: { enabled: false, sdkHealthFlushMs: 60_000 } },
  });
  ({ url } = await collector.start());
  account = await storage.ensureAccount('shop', Date.now());
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
});

async function allowKey(key: ReturnType<typeof generateKey>): Promise<void> {
  await storage.insertKey({
    id: newId(),
    accountId: account.id,
    prefix: key.prefix,
    hash: key.hash,
    mode: 'live',
    scopes: ['ingest', 'read'],
    createdAt: Date.now(),
    revokedAt: null,
  });
  await collector.keys.refresh();
}

function client(apiKey: string, settings: { maxQueueItems?: number; maxInFlight?: number } = {}): TouchlineClient {
  const c = createClient({
    apiKey,
    endpoint: url,
    batch: { flushIntervalMs: 5, maxItems: 10 },
    retry: { authProbeMaxDelayMs: 20 },
    ...settings,
  });
  closers.push(() => c.close({ timeoutMs: 1000 }));
  return c;
}

async function checks(): Promise<Record<string, CheckResult>> {
  await collector.sdkHealth.flush();
  const report = await collector.integrity.evaluate(account.id);
  return Object.fromEntries(report.checks.map((c) => [c.id, c]));
}

describe('SDK delivery health checks', () => {
  it('an SDK answered 401 for a while (its key not loaded yet) fires sdk-auth-failures; nothing is dropped', async () => {
    const key = generateKey('live');
    const sdk = client(key.secret);
    let refused = 0;
    const enough = new Promise<void>((resolve) =>
      sdk.on('auth_failed', () => {
        refused += 1;
        if (refused === 3) resolve();
      }),
    );
    for (let i = 0; i < 40; i++) sdk.event('clicked', {}, { visitorId: newId() });
    await enough;
    await allowKey(key);
    expect(await sdk.flush({ timeoutMs: 10_000 })).toMatchObject({
      settled: true,
      stats: { delivered: 40, dropped: exactly({}) },
    });
    // One more batch so the collector hears the final counters.
    sdk.event('clicked', {}, { visitorId: newId() });
    await sdk.flush({ timeoutMs: 5000 });

    const c = await checks();
    expect(c['sdk-auth-failures']?.state).toBe('warn');
    expect(c['sdk-auth-failures']?.value).toBe(sdk.stats().authFailures);
    expect(c['sdk-auth-failures']?.value).toBeGreaterThanOrEqual(3);
    expect(c['sdk-drops']).toMatchObject({ state: 'ok', value: 0 });
  });

  it('an SDK whose bounded queue overflows while its key is refused fires sdk-drops as an alert', async () => {
    const key = generateKey('live');
    const sdk = client(key.secret, { maxQueueItems: 10, maxInFlight: 1 });
    const refused = new Promise<void>((resolve) => sdk.on('auth_failed', () => resolve()));
    sdk.event('clicked', {}, { visitorId: newId() });
    await refused;
    for (let i = 0; i < 60; i++) sdk.event('clicked', {}, { visitorId: newId() });
    await allowKey(key);
    const { stats } = await sdk.flush({ timeoutMs: 10_000 });
    expect(stats.dropped.queue_full).toBeGreaterThan(0);
    sdk.event('clicked', {}, { visitorId: newId() });
    await sdk.flush({ timeoutMs: 5000 });

    const c = await checks();
    const dropped = stats.dropped.queue_full ?? 0;
    expect(c['sdk-drops']?.state).toBe('alert');
    expect(c['sdk-drops']?.value).toBeCloseTo((100 * dropped) / (stats.delivered + dropped), 6);
    expect(c['sdk-drops']?.note).toContain(`${stats.delivered} delivered, ${dropped} dropped`);
  });

  it('a clean run reports ok, and bot navigations seen by the middleware make up bot-share', async () => {
    const key = generateKey('live');
    await allowKey(key);
    const sdk = client(key.secret);
    const app: Server = createServer(
      withTouchline(sdk, (_req, res) => {
        res.end('page');
      }),
    );
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => app.close(resolve)));
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/`;
    // node:http, not fetch: fetch sends its own Sec-Fetch-Mode (cors), which is not a navigation.
    const navigate = (userAgent: string) =>
      new Promise<void>((resolve, reject) => {
        get(
          appUrl,
          {
            headers: {
              'user-agent': userAgent,
              accept: 'text/html',
              'sec-fetch-mode': 'navigate',
              'sec-fetch-dest': 'document',
            },
          },
          (res) => {
            res.resume();
            res.on('end', resolve);
          },
        ).on('error', reject);
      });
    for (let i = 0; i < 30; i++)
      await navigate(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      );
    for (let i = 0; i < 70; i++)
      await navigate('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)');
    await sdk.flush({ timeoutMs: 5000 });
    sdk.event('clicked', {}, { visitorId: newId() });
    await sdk.flush({ timeoutMs: 5000 });

    const c = await checks();
    expect(c['sdk-auth-failures']).toMatchObject({ state: 'ok', value: 0 });
    expect(c['sdk-drops']).toMatchObject({ state: 'ok', value: 0 });
    expect(c['bot-share']).toMatchObject({ state: 'warn', value: 70 });
  });

  it('without reports the SDK checks say so and stay ok', async () => {
    const c = await checks();
    for (const id of ['sdk-drops', 'sdk-auth-failures', 'bot-share']) {
      expect(c[id]).toMatchObject({ state: 'ok', value: null });
      expect(c[id]?.note).toContain('no SDK reported delivery health');
    }
  });
});
