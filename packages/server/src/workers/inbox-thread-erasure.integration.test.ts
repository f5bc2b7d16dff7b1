// Erasure on the inbox worker thread (issue 20): on SQLite, DELETE /api/v1/visitors/:id runs its write transactions on the thread's connection, never the collector's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { openSqliteStorage, type Storage } from '@touchline/storage';
import { createCollector, type Collector } from '../create-collector.js';
import { generateKey } from '../http/auth/api-keys.js';
import { pageview, postBatch } from '../test-support/collector-fixture.js';
import type { ThreadInboxWorker } from './inbox-thread-worker.js';

let dir = '';
let collector: Collector | null = null;
let raw: Storage | null = null;
afterEach(async () => {
  await collector?.close();
  collector = null;
  await raw?.close().catch(() => undefined);
  raw = null;
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A threaded collector whose own storage refuses to erase (`mainErases: false`): an erasure that
 * reached the collector's connection fails the request. `raw` is a second connection for the checks.
 */
async function start(mainErases: boolean) {
  dir = mkdtempSync(join(tmpdir(), 'touchline-thread-erasure-'));
  const databasePath = join(dir, 'touchline.db');
  const opened = openSqliteStorage({ path: databasePath });
  const storage: Storage = mainErases
    ? opened
    : {
        ...opened,
        erasePerson: () => Promise.reject(new Error("erasure ran on the collector's connection")),
      };
  const errors: Error[] = [];
  collector = createCollector({
    storage,
    databasePath,
    settings: { port: 0, keyRefreshMs: 100, worker: { idleMs: 10 } },
    onError: (e) => errors.push(e),
  });
  const { url } = await collector.start();
  raw = openSqliteStorage({ path: databasePath });
  const account = await raw.ensureAccount('shop', Date.now());
  const key = generateKey('live');
  await raw.insertKey({
    id: newId(),
    accountId: account.id,
    prefix: key.prefix,
    hash: key.hash,
    mode: 'live',
    scopes: ['ingest', 'read', 'admin'],
    createdAt: Date.now(),
    revokedAt: null,
  });
  await collector.keys.refresh();
  const worker = collector.worker as ThreadInboxWorker;
  return { url, secret: key.secret, accountId: account.id, worker, errors, raw };
}

const eraseVisitor = (url: string, secret: string, visitor: string) =>
  fetch(`${url}/api/v1/visitors/${visitor}`, { method: 'DELETE', headers: { authorization: `Bearer ${secret}` } });

describe('erasure on the inbox worker thread', () => {
  it("runs on the thread's connection, with the worker running and with it stopped", async () => {
    const { url, secret, accountId, worker, errors, raw: db } = await start(false);
    const t = Date.now() - 60_000;
    const [erased, kept, later] = [randomUUID(), randomUUID(), randomUUID()];
    const sent = [
      pageview(erased, randomUUID(), t),
      pageview(kept, randomUUID(), t + 1),
      pageview(later, randomUUID(), t + 2),
    ];
    expect((await postBatch(url, secret, sent)).status).toBe(202);
    await worker.drain();
    const res = await eraseVisitor(url, secret, erased);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ erased: true, removed: { visitors: 1, sessions: 1, inbox_items: 1 } });
    expect(await db.visitor(accountId, erased)).toBeNull();
    expect(await db.visitor(accountId, kept)).not.toBeNull();
    // Stopped, the worker's thread is gone; the erasure starts one of its own, which processes nothing.
    await worker.stop();
    expect(worker.thread()).toBeNull();
    const again = await eraseVisitor(url, secret, later);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ removed: { visitors: 1 } });
    expect(worker.thread()).not.toBeNull();
    expect(worker.mode()).toBe('thread');
    expect(await db.visitor(accountId, kept)).not.toBeNull();
    expect(errors).toEqual([]);
  });

  it('runs inline on the collector once the thread has failed', async () => {
    const { url, secret, accountId, worker, raw: db } = await start(true);
    const visitor = randomUUID();
    expect((await postBatch(url, secret, [pageview(visitor, randomUUID(), Date.now() - 60_000)])).status).toBe(202);
    await worker.drain();
    await worker.thread()?.terminate();
    while (worker.mode() !== 'inline') await new Promise((resolve) => setTimeout(resolve, 10));
    const res = await eraseVisitor(url, secret, visitor);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ removed: { visitors: 1 } });
    expect(await db.visitor(accountId, visitor)).toBeNull();
  });
});
