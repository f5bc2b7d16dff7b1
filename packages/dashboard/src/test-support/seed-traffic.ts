// Test support: a real collector (SQLite file, inline worker; conversion uploads run by the test, not a timer) with the dashboard registered, and traffic sent through its ingest API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@touchline/core';
import { createCollector, generateKey, type Collector } from '@touchline/server';
import { openSqliteStorage, type Storage } from '@touchline/storage';
import { registerDashboard } from '../register-dashboard.js';
import type { DashboardSettingsInput } from '../dashboard-settings.js';

export interface DashboardFixture {
  collector: Collector;
  storage: Storage;
  url: string;
  keyFor(account: string): Promise<{ key: string; accountId: string }>;
  close(): Promise<void>;
}

export async function startDashboard(settings: DashboardSettingsInput = {}): Promise<DashboardFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-dashboard-'));
  const storage = openSqliteStorage({ path: join(dir, 'touchline.db') });
  const collector = createCollector({
    storage,
    settings: { port: 0, keyRefreshMs: 100, worker: { idleMs: 10 }, uploads: { enabled: false, settleMs: 0 } },
  });
  registerDashboard(collector.app, { storage, settings });
  const { url } = await collector.start();
  return {
    collector,
    storage,
    url,
    async keyFor(account) {
      const acct = await storage.ensureAccount(account, Date.now());
      const key = generateKey('live');
      await storage.insertKey({
        id: newId(),
        accountId: acct.id,
        prefix: key.prefix,
        hash: key.hash,
        mode: 'live',
        scopes: ['ingest', 'read'],
        createdAt: Date.now(),
        revokedAt: null,
      });
      await collector.keys.refresh();
      return { key: key.secret, accountId: acct.id };
    },
    async close() {
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Visit {
  at: number;
  url: string;
  referrer?: string | null;
  utm?: Record<string, string>;
}

/** A visitor's items: one pageview per visit (each its own session) and optional conversions/events in the last session. */
export function visitorItems(
  visits: Visit[],
  extra: { conversion?: { revenue: number; afterMs: number }; events?: string[] } = {},
): unknown[] {
  const visitorId = newId(visits[0]?.at ?? Date.now());
  const items: unknown[] = [];
  let sessionId = '';
  for (const visit of visits) {
    sessionId = newId(visit.at);
    items.push({
      type: 'pageview',
      id: newId(visit.at),
      timestamp: new Date(visit.at).toISOString(),
      visitor_id: visitorId,
      session_id: sessionId,
      context: {
        url: visit.url,
        referrer: visit.referrer ?? null,
        user_agent: 'Mozilla/5.0 test',
        ip: '203.0.113.7',
        utm: visit.utm ?? {},
        click_ids: {},
        session_start: 'new_visitor',
      },
    });
  }
  const last = visits[visits.length - 1]?.at ?? Date.now();
  (extra.events ?? []).forEach((name, i) =>
    items.push({
      type: 'event',
      id: newId(last + 1000 * (i + 1)),
      timestamp: new Date(last + 1000 * (i + 1)).toISOString(),
      visitor_id: visitorId,
      session_id: sessionId,
      context: null,
      name,
      properties: {},
    }),
  );
  if (extra.conversion) {
    const at = last + extra.conversion.afterMs;
    items.push({
      type: 'conversion',
      id: newId(at),
      timestamp: new Date(at).toISOString(),
      visitor_id: visitorId,
      session_id: sessionId,
      context: null,
      name: 'purchase',
      revenue: extra.conversion.revenue,
      currency: 'EUR',
      properties: {},
    });
  }
  return items;
}

/** Sends items through POST /api/v1/batch (as the SDK does) and waits until the worker has stored them all. */
export async function sendAndSettle(fixture: DashboardFixture, key: string, items: unknown[]): Promise<void> {
  for (let i = 0; i < items.length; i += 200) {
    const res = await fetch(`${fixture.url}/api/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        batch_id: newId(),
        sent_at: new Date().toISOString(),
        sdk: { name: 'test', version: '0' },
        items: items.slice(i, i + 200),
      }),
    });
    const body = (await res.json()) as { accepted?: number; errors?: unknown[] };
    if (res.status !== 202 || (body.errors?.length ?? 0) > 0)
      throw new Error(`seeding batch rejected: HTTP ${res.status} ${JSON.stringify(body)}`);
  }
  for (let attempt = 0; attempt < 500; attempt++) {
    const health = await fixture.storage.inboxHealth();
    if (health.pending === 0) {
      if (health.dead > 0) throw new Error(`seeding: ${health.dead} items were dead-lettered`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('seeding: the worker did not drain the inbox');
}
