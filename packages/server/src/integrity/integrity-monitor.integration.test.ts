// The continuous integrity monitor in a real collector over real SQLite: passes, GET /api/v1/integrity, gauges, and the alert webhook against a real local server.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { openSqliteStorage, type Account, type Storage } from '@touchline/storage';
import { createCollector, type Collector } from '../create-collector.js';
import { generateKey } from '../http/auth/api-keys.js';
import type { ServerSettingsInput } from '../server-settings.js';
import { cleanTraffic, DAY, HOUR, ingest, type SyntheticSession } from './test-support/synthetic-traffic.js';
import { startWebhookReceiver } from './test-support/webhook-receiver.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');

let dir = '';
let storage: Storage;
let clock = NOW;
const closers: Array<() => Promise<void>> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'touchline-monitor-'));
  storage = openSqliteStorage({ path: join(dir, 'db.sqlite') });
  clock = NOW;
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  rmSync(dir, { recursive: true, force: true });
});

async function accountWith(name: string, sessions: readonly SyntheticSession[]): Promise<Account> {
  await storage.migrate();
  const account = await storage.ensureAccount(name, NOW - 30 * DAY);
  await ingest(storage, account.id, sessions, NOW);
  return account;
}

async function keyFor(account: Account, scopes: Array<'ingest' | 'read'> = ['read']): Promise<string> {
  const key = generateKey('live');
  await storage.insertKey({
    id: newId(),
    accountId: account.id,
    prefix: key.prefix,
    hash: key.hash,
    mode: 'live',
    scopes,
    createdAt: NOW,
    revokedAt: null,
  });
  return key.secret;
}

const METRICS_TOKEN = 'metrics-token-for-the-tests';

async function startWith(
  integrity: NonNullable<ServerSettingsInput['integrity']>,
  errors: Error[] = [],
  more: ServerSettingsInput = { metricsToken: METRICS_TOKEN },
): Promise<{ collector: Collector; url: string }> {
  const collector = createCollector({
    storage,
    settings: { port: 0, now: () => clock, integrity, ...more },
    onError: (e) => errors.push(e),
  });
  const { url } = await collector.start();
  closers.push(() => collector.close());
  return { collector, url };
}

const get = async (url: string, key: string | null) => {
  const res = await fetch(`${url}/api/v1/integrity`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
  return {
    status: res.status,
    body: (await res.json()) as { state: string; source: string; checks: Array<{ id: string; state: string }> },
  };
};

/** 400 sessions of one visitor in 20 h plus nine more with 20 each: extreme-visitors in alert (the L1 leak). */
const leak = (): SyntheticSession[] =>
  [randomUUID(), ...Array.from({ length: 9 }, () => randomUUID())].flatMap((visitorId, i) => {
    const count = i === 0 ? 400 : 20;
    return Array.from({ length: count }, (_, k) => ({
      visitorId,
      startedAt: Math.round(NOW - 20 * HOUR + (k + 0.5) * ((20 * HOUR) / count)),
    }));
  });

describe('integrity monitor', () => {
  it('evaluates every account in a pass, serves the latest report and gauges, and posts alert then recovery to the webhook, retrying failures', async () => {
    const hook = await startWebhookReceiver((k) => (k < 2 ? 500 : 200));
    closers.push(() => hook.close());
    const shop = await accountWith('shop', [...cleanTraffic(NOW), ...leak()]);
    const clean = await accountWith('clean', cleanTraffic(NOW));
    const [shopKey, cleanKey] = [await keyFor(shop), await keyFor(clean)];
    const errors: Error[] = [];
    const { collector, url } = await startWith(
      { intervalMs: 3_600_000, webhookUrl: hook.url, webhookBackoffMs: 5 },
      errors,
    );
    await collector.integrity.runPass();
    await collector.alertWebhook?.drain();

    const shopReport = await get(url, shopKey);
    expect(shopReport.status).toBe(200);
    expect(shopReport.body).toMatchObject({ state: 'alert', source: 'monitor' });
    expect(shopReport.body.checks.find((c) => c.id === 'extreme-visitors')?.state).toBe('alert');
    expect((await get(url, cleanKey)).body).toMatchObject({ state: 'ok', source: 'monitor' });

    // Per-account states (account names) only with the metrics token (issue 16 item 6).
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer metrics-token-for-the-test' } })).status,
    ).toBe(401);
    const metrics = await (
      await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(metrics).toContain('touchline_integrity_state{account="shop",check="extreme-visitors"} 2');
    expect(metrics).toContain('touchline_integrity_state{account="clean",check="extreme-visitors"} 0');
    // A collector without a token serves /metrics to anyone, but names no account.
    const open = await startWith({ intervalMs: 3_600_000 }, [], {});
    await open.collector.integrity.runPass();
    const openMetrics = await (await fetch(`${open.url}/metrics`)).text();
    expect(openMetrics).toContain('touchline_integrity_passes_total{outcome="ok"} 1');
    expect(openMetrics).not.toMatch(/shop|clean|account=/);

    // The first notice is tried three times (two 500s, then a 200), every attempt with its delivery id.
    const alerts = new Map<string, string>(
      hook.received.map((r) => [(r.body.check as { id: string }).id, r.delivery ?? '']),
    );
    expect(hook.received.slice(0, 3).map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(hook.received.slice(0, 3).map((r) => r.delivery)).size).toBe(1);
    expect(new Set(hook.received.map((r) => r.delivery)).size).toBe(hook.received.length - 2);
    expect(hook.received.every((r) => r.body.type === 'integrity.alert' && r.body.id === r.delivery)).toBe(true);
    const extreme = hook.received.find((r) => (r.body.check as { id: string }).id === 'extreme-visitors');
    expect(extreme?.body).toMatchObject({
      type: 'integrity.alert',
      account: { name: 'shop' },
      check: { id: 'extreme-visitors', state: 'alert', previous_state: 'ok' },
    });
    expect(hook.received.every((r) => (r.body.account as { name: string }).name === 'shop')).toBe(true);
    const ids = new Set(alerts.values());
    expect(metrics).toMatch(/touchline_alert_webhook_total\{outcome="retried"\} 2/);
    expect(errors).toEqual([]);

    // Two days on the leak has left the 24 h window: the check recovers, and that is notified once, with a new id.
    clock = NOW + 2 * DAY;
    await collector.integrity.runPass();
    await collector.alertWebhook?.drain();
    const recovered = hook.received.filter((r) => r.body.type === 'integrity.recovered');
    expect(recovered.map((r) => (r.body.check as { id: string }).id)).toContain('extreme-visitors');
    expect(recovered.every((r) => r.delivery !== undefined && !ids.has(r.delivery))).toBe(true);
    // A pass with nothing changed notifies nothing.
    const count = hook.received.length;
    await collector.integrity.runPass();
    await collector.alertWebhook?.drain();
    expect(hook.received.length).toBe(count);
  });

  it('announces each alert and recovery once across a restart and across two collectors sharing the database (states in the database)', async () => {
    const hook = await startWebhookReceiver(() => 200);
    closers.push(() => hook.close());
    await accountWith('shop', [...cleanTraffic(NOW), ...leak()]);
    const alerts = () =>
      hook.received.filter(
        (r) => r.body.type === 'integrity.alert' && (r.body.check as { id: string }).id === 'extreme-visitors',
      );
    const recoveries = () =>
      hook.received.filter(
        (r) => r.body.type === 'integrity.recovered' && (r.body.check as { id: string }).id === 'extreme-visitors',
      );
    const settings = { intervalMs: 3_600_000, webhookUrl: hook.url, webhookBackoffMs: 5 };
    const first = await startWith(settings);
    await first.collector.integrity.runPass();
    await first.collector.alertWebhook?.drain();
    expect(alerts()).toHaveLength(1);
    // The restart: new collectors (own connections, as processes would have) on the same database,
    // with no report in memory, the account still in alert.
    const another = async () => {
      const own = openSqliteStorage({ path: join(dir, 'db.sqlite') });
      const collector = createCollector({ storage: own, settings: { port: 0, now: () => clock, integrity: settings } });
      await collector.start();
      closers.push(() => collector.close());
      return { collector };
    };
    const second = await another();
    const third = await another();
    await Promise.all([second.collector.integrity.runPass(), third.collector.integrity.runPass()]);
    await Promise.all([second.collector.alertWebhook?.drain(), third.collector.alertWebhook?.drain()]);
    expect(alerts()).toHaveLength(1);
    // Both collectors see the recovery; one of them announces it.
    clock = NOW + 2 * DAY;
    await Promise.all([second.collector.integrity.runPass(), third.collector.integrity.runPass()]);
    await Promise.all([second.collector.alertWebhook?.drain(), third.collector.alertWebhook?.drain()]);
    expect(recoveries()).toHaveLength(1);
  });

  it('a webhook that keeps failing is given up after its attempts and reported, while ingest and queries go on', async () => {
    const hook = await startWebhookReceiver(() => 503);
    closers.push(() => hook.close());
    const shop = await accountWith('shop', [...cleanTraffic(NOW), ...leak()]);
    const key = await keyFor(shop, ['ingest', 'read']);
    const errors: Error[] = [];
    const { collector, url } = await startWith(
      { intervalMs: 3_600_000, webhookUrl: hook.url, webhookBackoffMs: 5, webhookMaxAttempts: 3 },
      errors,
    );
    await collector.integrity.runPass();
    await collector.alertWebhook?.drain();
    const perNotice = new Map<string, number>();
    for (const r of hook.received) perNotice.set(r.delivery ?? '', (perNotice.get(r.delivery ?? '') ?? 0) + 1);
    expect(perNotice.size).toBeGreaterThan(0);
    expect([...perNotice.values()].every((n) => n === 3)).toBe(true);
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual([...perNotice.keys()].map(() => 'webhook_failed'));
    expect(errors[0]?.message).toContain('HTTP 503 after 3 attempt(s)');
    expect(
      await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text(),
    ).toContain(`touchline_alert_webhook_total{outcome="failed"} ${perNotice.size}`);
    expect((await get(url, key)).status).toBe(200);
  });

  it('passes never overlap: a call during a pass joins it', async () => {
    await accountWith('shop', cleanTraffic(NOW, 100));
    const { collector, url } = await startWith({ enabled: false });
    const [a, b] = [collector.integrity.runPass(), collector.integrity.runPass()];
    expect(a).toBe(b);
    await a;
    expect(
      await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text(),
    ).toContain('touchline_integrity_passes_total{outcome="ok"} 1');
  });

  it('answers on demand before any pass, needs a read key, and names bad settings', async () => {
    const shop = await accountWith('shop', cleanTraffic(NOW));
    const [readKey, ingestKey] = [await keyFor(shop), await keyFor(shop, ['ingest'])];
    const { url } = await startWith({ enabled: false });
    expect((await get(url, readKey)).body).toMatchObject({ state: 'ok', source: 'on_demand' });
    expect((await get(url, ingestKey)).status).toBe(403);
    expect((await get(url, null)).status).toBe(401);
    expect(() =>
      createCollector({ storage, settings: { integrity: { webhookUrl: 'ftp://x', intervalMs: 10 } } }),
    ).toThrow(/integrity\.intervalMs: [\s\S]*integrity\.webhookUrl: must be an http\(s\) URL/);
  });
});
