// Test helpers: migrated SQLite storage in a fresh temp directory, and builders for processed batches.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStorage } from '../dialects/sqlite.js';
import type { EventRow, ProcessedBatch, SessionUpsert, Storage } from '../storage.js';

export interface TempDir { dir: string; file(name: string): string; remove(): Promise<void> }

export async function makeTempDir(): Promise<TempDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'touchline-storage-'));
  return { dir, file: (name) => path.join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function openMigrated(file: string): Promise<Storage> {
  const storage = openSqliteStorage({ path: file });
  await storage.migrate();
  return storage;
}

export function batch(parts: Partial<ProcessedBatch> = {}): ProcessedBatch {
  return { visitors: [], sessions: [], events: [], conversions: [], identities: [], done: [], dead: [], ...parts };
}

export function session(accountId: string, fields: Partial<SessionUpsert> & { id: string; visitorId: string }): SessionUpsert {
  return {
    accountId, startedAt: 1000, lastSeenAt: 1000, landingUrl: null, landingHost: null, referrer: null, channel: null,
    utm: {}, clickIds: {}, eventCount: 0, pageviewCount: 0, ...fields,
  };
}

export function event(accountId: string, fields: Partial<EventRow> & { id: string; visitorId: string }): EventRow {
  return { accountId, type: 'pageview', name: null, sessionId: null, timestamp: 1000, url: null, properties: '{}', ...fields };
}

/** Items for insertInbox whose ids are `${prefix}-${i}`. */
export function inboxItems(prefix: string, count: number): Array<{ itemId: string; type: string; payload: string }> {
  return Array.from({ length: count }, (_, i) => ({ itemId: `${prefix}-${i}`, type: 'event', payload: JSON.stringify({ n: i }) }));
}
