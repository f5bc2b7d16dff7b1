// Issue 16 item 5: a SQLite file deleted (or replaced) under a running collector is noticed: not ready, ingest 503, and the log and /readyz say why.
import { copyFile, rename, rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { openSqliteStorage } from '@touchline/storage';
import { makeTempDir } from '../../storage/src/test-support/temp-storage.js';
import { generateKey } from './http/auth/api-keys.js';
import { createCollector } from './create-collector.js';
import { eventItem, postBatch } from './test-support/collector-fixture.js';
import { waitUntil } from './test-support/wait-until.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function collectorOnFile() {
  const tmp = await makeTempDir();
  cleanup.push(() => tmp.remove());
  const file = tmp.file('touchline.db');
  const storage = openSqliteStorage({ path: file });
  await storage.migrate();
  const account = await storage.ensureAccount('acme', Date.now());
  const key = generateKey('live');
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
  const log: string[] = [];
  const collector = createCollector({
    storage,
    databasePath: file,
    settings: { port: 0, storageProbeMs: 100, integrity: { enabled: false } },
    onError: (e) => log.push(e.message),
  });
  const { url } = await collector.start();
  cleanup.push(() => collector.close());
  return { url, key: key.secret, file, log };
}

const events = (n: number) => {
  const visitor = newId();
  const session = newId();
  return Array.from({ length: n }, (_, i) => eventItem(visitor, session, Date.now() - 1000 + i));
};

async function expectRefused(c: { url: string; key: string; log: string[] }, why: RegExp): Promise<void> {
  const notReady = await waitUntil('/readyz reports the file', async () => {
    const res = await fetch(`${c.url}/readyz`);
    return res.status === 503 ? ((await res.json()) as { error: { code: string; message: string } }) : undefined;
  });
  expect(notReady.error.code).toBe('storage_unavailable');
  expect(notReady.error.message).toMatch(why);
  // Batch and single-item ingest alike.
  const batch = await postBatch(c.url, c.key, events(3));
  expect(batch.status).toBe(503);
  expect(batch.headers.get('retry-after')).toBe('5');
  const single = await fetch(`${c.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...events(1)[0]!, type: undefined }),
  });
  expect(single.status).toBe(503);
  expect(c.log.some((line) => why.test(line))).toBe(true);
}

describe('collector whose SQLite file goes away', () => {
  it('goes not-ready and refuses ingest when the database file is deleted', async () => {
    const c = await collectorOnFile();
    expect((await postBatch(c.url, c.key, events(3))).status).toBe(202);
    for (const suffix of ['', '-wal', '-shm']) await rm(`${c.file}${suffix}`, { force: true });
    await expectRefused(c, /was deleted while open/);
  });

  it('goes not-ready when the database file is replaced by another one', async () => {
    const c = await collectorOnFile();
    expect((await postBatch(c.url, c.key, events(3))).status).toBe(202);
    await copyFile(c.file, `${c.file}.copy`);
    await rename(`${c.file}.copy`, c.file);
    await expectRefused(c, /was replaced while open/);
  });
});
