// Test fixture: a real collector on 127.0.0.1 over real storage (a SQLite file, or a PostgreSQL schema), plus keys and batch helpers.
import { newId } from '@touchline/core';
import type { KeyScope, Storage } from '@touchline/storage';
import { sqliteFactory, type StorageFactory } from '../../../storage/src/test-support/storage-factories.js';
import { generateKey } from '../http/auth/api-keys.js';
import { createCollector, type Collector } from '../create-collector.js';
import type { ServerSettingsInput } from '../server-settings.js';

export interface Fixture {
  collector: Collector;
  url: string;
  /** The collector's own storage, for tests that change keys behind its back. */
  storage: Storage;
  /** Where that storage lives: a SQLite file path or a postgres:// URL with its schema. */
  databaseUrl: string;
  /** A new key of `account` (live by default; a test key reads and writes the account's test-mode data). */
  keyFor(account: string, scopes?: KeyScope[], mode?: 'live' | 'test'): Promise<string>;
  close(): Promise<void>;
}

/**
 * A collector over a fresh storage from `factory` (SQLite by default), removed again by close().
 * Laid out as `touchline serve` runs it (issue 23): on SQLite the inbox worker and batch parsing run
 * on their threads over the file, and queries on read threads (SQLite or PostgreSQL) — the code
 * users run, not an inline stand-in. `layout: 'inline'` keeps everything on the main thread.
 */
export async function startCollector(
  settings: ServerSettingsInput = {},
  factory: StorageFactory = sqliteFactory,
  layout: 'serve' | 'inline' = 'serve',
): Promise<Fixture> {
  const db = await factory.open();
  const { storage } = db;
  const where =
    layout === 'inline' ? {} : factory.dialect === 'sqlite' ? { databasePath: db.url } : { databaseUrl: db.url };
  const collector = createCollector({ storage, ...where, settings: { port: 0, keyRefreshMs: 100, ...settings } });
  const { url } = await collector.start();
  return {
    collector,
    url,
    storage,
    databaseUrl: db.url,
    async keyFor(account, scopes = ['ingest', 'read'], mode = 'live') {
      const acct = await storage.ensureAccount(account, Date.now());
      const key = generateKey(mode);
      await storage.insertKey({
        id: newId(),
        accountId: acct.id,
        prefix: key.prefix,
        hash: key.hash,
        mode,
        scopes,
        createdAt: Date.now(),
        revokedAt: null,
      });
      await collector.keys.refresh();
      return key.secret;
    },
    async close() {
      await collector.close(); // closes the storage too
      await db.remove();
    },
  };
}

export function pageview(visitorId: string, sessionId: string, at: number, extra: Record<string, unknown> = {}) {
  return {
    type: 'pageview',
    id: newId(at),
    timestamp: new Date(at).toISOString(),
    visitor_id: visitorId,
    session_id: sessionId,
    context: {
      url: 'https://shop.example/?utm_source=google&utm_medium=cpc',
      referrer: 'https://www.google.com/',
      user_agent: 'UA',
      ip: '203.0.113.77',
      utm: { utm_source: 'google', utm_medium: 'cpc' },
      click_ids: {},
      session_start: 'new_visitor',
    },
    ...extra,
  };
}

export function eventItem(visitorId: string, sessionId: string | null, at: number, name = 'clicked') {
  return {
    type: 'event',
    id: newId(at),
    timestamp: new Date(at).toISOString(),
    visitor_id: visitorId,
    session_id: sessionId,
    context: null,
    name,
    properties: { a: 1 },
  };
}

export function conversionItem(visitorId: string, sessionId: string | null, at: number, revenue: number) {
  return {
    type: 'conversion',
    id: newId(at),
    timestamp: new Date(at).toISOString(),
    visitor_id: visitorId,
    session_id: sessionId,
    context: null,
    name: 'purchase',
    revenue,
    currency: 'EUR',
    properties: {},
  };
}

export async function postBatch(url: string, key: string, items: unknown[], batchId = newId()) {
  const res = await fetch(`${url}/api/v1/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      batch_id: batchId,
      sent_at: new Date().toISOString(),
      sdk: { name: 'test', version: '0' },
      items,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

export async function getJson(url: string, key: string, path: string) {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
