// Test helpers: migrated SQLite storage in a fresh temp directory, and builders for processed batches.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStorage } from '../dialects/sqlite.js';
import type { EventRow, ProcessedBatch, SessionLanding, SessionUpsert, Storage } from '../storage.js';

export interface TempDir {
  dir: string;
  file(name: string): string;
  remove(): Promise<void>;
}

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
  return {
    visitors: [],
    sessions: [],
    events: [],
    conversions: [],
    identities: [],
    aliases: [],
    done: [],
    dead: [],
    ...parts,
  };
}

/** A session upsert; landing fields given flat (as a test reads best) become its landing unit, ranked as a session-start pageview unless said otherwise. */
export interface SessionFields extends Partial<Omit<SessionUpsert, 'landing'>> {
  id: string;
  visitorId: string;
  landingUrl?: string | null;
  landingHost?: string | null;
  referrer?: string | null;
  channel?: string | null;
  utm?: Record<string, string>;
  clickIds?: Record<string, string>;
  landingRank?: number;
  landingAt?: number;
  landingItemId?: string;
}

export function session(accountId: string, fields: SessionFields): SessionUpsert {
  const { landingUrl, landingHost, referrer, channel, utm, clickIds, landingRank, landingAt, landingItemId, ...rest } =
    fields;
  const base: SessionUpsert = {
    accountId,
    startedAt: 1000,
    lastSeenAt: 1000,
    landing: null,
    eventCount: 0,
    pageviewCount: 0,
    ...rest,
  };
  const given = [landingUrl, landingHost, referrer, channel, utm, clickIds, landingRank].some((v) => v !== undefined);
  if (!given) return base;
  const landing: SessionLanding = {
    rank: landingRank ?? 3,
    at: landingAt ?? base.startedAt,
    itemId: landingItemId ?? `${fields.id}-landing`,
    url: landingUrl ?? null,
    host: landingHost ?? null,
    referrer: referrer ?? null,
    channel: channel ?? null,
    utm: utm ?? {},
    clickIds: clickIds ?? {},
  };
  return { ...base, landing };
}

export function event(accountId: string, fields: Partial<EventRow> & { id: string; visitorId: string }): EventRow {
  return {
    accountId,
    type: 'pageview',
    name: null,
    sessionId: null,
    timestamp: 1000,
    url: null,
    properties: '{}',
    ...fields,
  };
}

/** Items for insertInbox whose ids are `${prefix}-${i}`. */
export function inboxItems(prefix: string, count: number): Array<{ itemId: string; type: string; payload: string }> {
  return Array.from({ length: count }, (_, i) => ({
    itemId: `${prefix}-${i}`,
    type: 'event',
    payload: JSON.stringify({ n: i }),
  }));
}
