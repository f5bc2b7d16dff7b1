// Queries on read threads: the same answers as inline, a bounded queue answered 503 + Retry-After,
// ingest and health answered while a query is stuck, and a disconnecting client stopping its query.
import { readdirSync, readFileSync } from 'node:fs';
import { newId } from '@touchline/core';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  sqliteFactory,
  storageFactories,
  type StorageFactory,
  type TestStorage,
} from '../../../storage/src/test-support/storage-factories.js';
import { attribute } from '../attribution/attribute.js';
import { generateKey } from '../http/auth/api-keys.js';
import { createCollector, type Collector } from '../create-collector.js';
import { conversionItem, getJson, pageview, postBatch } from '../test-support/collector-fixture.js';
import type { ServerSettingsInput } from '../server-settings.js';

const DAY = 86_400_000;
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup.length = 0;
});

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A collector that can reopen its database (path or URL), so its queries go to read threads. */
async function threadCollector(factory: StorageFactory, reads: ServerSettingsInput['reads']) {
  const db: TestStorage = await factory.open();
  const collector: Collector = createCollector({
    storage: db.storage,
    ...(factory.dialect === 'sqlite' ? { databasePath: db.url } : { databaseUrl: db.url }),
    settings: { port: 0, keyRefreshMs: 100, reads, integrity: { enabled: false } },
  });
  const { url } = await collector.start();
  cleanup.push(async () => {
    await collector.close();
    await db.remove();
  });
  const account = await db.storage.ensureAccount('reads', Date.now());
  const key = generateKey('live');
  await db.storage.insertKey({
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
  return { db, collector, url, key: key.secret, accountId: account.id };
}

/** 12 visitors, each a session from google cpc, half of them buying. */
async function loadShop(
  url: string,
  key: string,
  collector: Collector,
  storage: TestStorage['storage'],
  accountId: string,
) {
  const t0 = Date.now() - 2 * DAY;
  const items: unknown[] = [];
  for (let v = 0; v < 12; v++) {
    const visitor = newId(t0 + v);
    const session = newId(t0 + v);
    items.push(pageview(visitor, session, t0 + v * 1000));
    if (v % 2 === 0) items.push(conversionItem(visitor, session, t0 + v * 1000 + 500, 10 + v));
  }
  expect((await postBatch(url, key, items)).status).toBe(202);
  await until(
    async () => (await storage.stats(accountId, t0 - DAY, Date.now() + DAY)).conversions === 6,
    'the shop to be processed',
  );
  await collector.worker.drain();
  return { from: t0 - DAY, to: Date.now() + DAY };
}

describe.each([
  sqliteFactory,
  ...(await storageFactories(process.env, import.meta.url)).filter((f) => f.dialect === 'postgres'),
])('read threads on $dialect', (factory) => {
  it('are started, with their connections open, by the time the collector has started', async () => {
    const { collector, url, key } = await threadCollector(factory, { threads: 2 });
    // Not on the first query: its user would wait for a thread's start (issue 15, docs/reads.md).
    expect(collector.reads.stats()).toMatchObject({ ready: 2, running: 0 });
    expect((await getJson(url, key, '/api/v1/stats?from=0')).status).toBe(200);
    expect(collector.reads.stats()).toMatchObject({ ready: 2, running: 0 });
  });

  it('answer stats, attribution and journeys exactly as the storage does inline', { timeout: 120_000 }, async () => {
    const { db, collector, url, key, accountId } = await threadCollector(factory, { threads: 2 });
    expect(collector.reads.mode).toBe('thread');
    const range = await loadShop(url, key, collector, db.storage, accountId);
    const query = `from=${new Date(range.from).toISOString()}&to=${new Date(range.to).toISOString()}`;

    const stats = await getJson(url, key, `/api/v1/stats?${query}`);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject(await db.storage.stats(accountId, range.from, range.to));
    expect(stats.body).toMatchObject({ sessions: 12, conversions: 6 });

    const inline = await attribute(db.storage, {
      accountId,
      model: 'linear',
      from: range.from,
      to: range.to,
      lookbackDays: 30,
    });
    const viaThread = await getJson(url, key, `/api/v1/attribution?model=linear&${query}`);
    expect(viaThread.status).toBe(200);
    expect(viaThread.body.channels).toEqual(
      inline.result.channels.map((c) => ({ channel: c.channel, conversions: c.conversions, revenue: c.revenue })),
    );
    expect(viaThread.body).toMatchObject({ conversions: 6, revenue: inline.revenue });

    const conversion = (await db.storage.listConversions(accountId, { from: range.from, to: range.to, limit: 1 }))[0];
    const journey = await getJson(url, key, `/api/v1/conversions/${conversion?.id}/journey`);
    expect(journey.status).toBe(200);
    expect(journey.body.touchpoints).toEqual([expect.objectContaining({ channel: 'paid_search' })]);
    expect((journey.body.credits as Record<string, unknown>).linear).toEqual([
      { channel: 'paid_search', credit: 1, revenue: conversion?.revenue },
    ]);
    expect((await getJson(url, key, '/api/v1/conversions/nope/journey')).status).toBe(404);
  });
});

// PostgreSQL can hold a query for as long as a test likes (a table lock), which makes "a query is
// running and stuck" a state the test controls instead of a timing guess.
describe.each((await storageFactories(process.env, import.meta.url)).filter((f) => f.dialect === 'postgres'))(
  'a stuck query on $dialect',
  (factory) => {
    it('keeps ingest and health answering, refuses past the bound with 503 + Retry-After, and stops when its client leaves', {
      timeout: 180_000,
    }, async () => {
      const { db, collector, url, key, accountId } = await threadCollector(factory, {
        threads: 1,
        maxQueued: 1,
        retryAfterSeconds: 2,
      });
      const range = await loadShop(url, key, collector, db.storage, accountId);
      const statsPath = `/api/v1/stats?from=${new Date(range.from).toISOString()}&to=${new Date(range.to).toISOString()}`;
      const schema = new URL(db.url).searchParams.get('schema') as string;
      const base = new URL(db.url);
      base.searchParams.delete('schema');
      const locker = new pg.Client({ connectionString: base.toString(), options: `-c search_path=${schema}` });
      await locker.connect();
      cleanup.push(async () => {
        await locker.end().catch(() => {});
      });
      // A second client watches: inside the locking transaction pg_stat_activity would be a snapshot taken at first use.
      const watcher = new pg.Client({ connectionString: base.toString() });
      await watcher.connect();
      cleanup.push(async () => {
        await watcher.end().catch(() => {});
      });
      const lockedWaiters = async () =>
        (
          await watcher.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND query ILIKE '%sessions%'",
          )
        ).rows[0]?.n;

      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE');
      let settled = false;
      const stuck = getJson(url, key, statsPath).finally(() => {
        settled = true;
      });
      await until(
        async () => collector.reads.stats().running === 1 && Number(await lockedWaiters()) >= 1,
        'the query to wait on the lock',
      );

      const queued = new AbortController();
      const waiting = fetch(`${url}${statsPath}`, {
        headers: { authorization: `Bearer ${key}` },
        signal: queued.signal,
      }).catch((e: unknown) => e);
      await until(() => collector.reads.stats().queued === 1, 'a second query to queue');
      const refused = await fetch(`${url}${statsPath}`, { headers: { authorization: `Bearer ${key}` } });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('reads_busy');

      // The event loop is free: health and ingest answer while the query is stuck.
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const visitor = newId();
      expect((await postBatch(url, key, [pageview(visitor, newId(), Date.now())])).status).toBe(202);
      expect(settled).toBe(false);

      // The queued client leaves: its query is dropped without running.
      queued.abort();
      await waiting;
      await until(
        () => collector.reads.stats().queued === 0 && collector.reads.stats().cancelled === 1,
        'the queued query to be dropped',
      );

      // The stuck query's answer arrives once the lock goes: 200 with the real numbers.
      await locker.query('COMMIT');
      const answer = await stuck;
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ conversions: 6 });

      // A running query whose client leaves is stopped: its thread ends, and the next query gets a new one.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE');
      const leaving = new AbortController();
      const left = fetch(`${url}${statsPath}`, {
        headers: { authorization: `Bearer ${key}` },
        signal: leaving.signal,
      }).catch((e: unknown) => e);
      await until(
        async () => collector.reads.stats().running === 1 && Number(await lockedWaiters()) >= 1,
        'the query to wait on the lock again',
      );
      leaving.abort();
      await left;
      await until(
        () => collector.reads.stats().running === 0 && collector.reads.stats().cancelled === 2,
        'the running query to be stopped',
      );
      await locker.query('COMMIT');
      const after = await getJson(url, key, statsPath);
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ conversions: 6 });
    });
  },
);

// Without a path or URL to reopen (here ':memory:'-like: only a Storage), queries stay on the main thread, still bounded.
describe('inline reads', () => {
  it("say so, and 'thread' is refused with the reason", async () => {
    const db = await sqliteFactory.open();
    cleanup.push(() => db.remove());
    expect(() => createCollector({ storage: db.storage, settings: { reads: { mode: 'thread' } } })).toThrow(
      /reads\.mode.*no database file path or URL/,
    );
    expect(createCollector({ storage: db.storage }).reads.mode).toBe('inline');
  });
});

/** Nice values of this process's threads (Linux: field 19 of /proc/self/task/<tid>/stat, counted after the ")" that ends the name). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

// On cores that are all busy, the thread that acknowledges ingest goes before a long query (settings reads.threadNice).
describe.runIf(process.platform === 'linux')('read thread priority', () => {
  it.each([
    [9, 1],
    [0, 0],
  ])('threadNice %i: %i read thread(s) at that nice value after a query', async (nice, expected) => {
    const before = threadNices().filter((n) => n === 9).length;
    const { url, key } = await threadCollector(sqliteFactory, { threads: 1, threadNice: nice });
    expect((await getJson(url, key, '/api/v1/stats?from=0')).status).toBe(200);
    expect(threadNices().filter((n) => n === 9).length - before).toBe(expected);
  });
});
