// Issue 16 item 4: a full disk never loses an acknowledged item: ingest answers 503, the worker retries instead of dead-lettering, and all recovers when space returns.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { openSqliteStorage } from '@touchline/storage';
import { generateKey } from './http/auth/api-keys.js';
import { createCollector } from './create-collector.js';
import { eventItem, postBatch } from './test-support/collector-fixture.js';
import { waitUntil } from './test-support/wait-until.js';

const cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/**
 * A small filesystem of the test's own: a 16 MiB tmpfs mounted on a fresh directory. Mounting needs
 * root (CAP_SYS_ADMIN); where the test cannot mount, it is skipped with a warning, and the storage
 * tests below still show the same classification deterministically with SQLite's max_page_count.
 */
function mountSmallFs(): string | null {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'touchline-smallfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  cleanup.push(() => {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore', timeout: 10_000 });
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

const canMount = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = mountSmallFs();
  if (dir === null) return false;
  execFileSync('umount', ['-l', dir], { stdio: 'ignore', timeout: 10_000 });
  rmSync(dir, { recursive: true, force: true });
  cleanup.length = 0;
  return true;
})();
if (!canMount)
  process.stderr.write(
    '[touchline tests] WARNING: cannot mount a small tmpfs (needs root on Linux): the full-filesystem test is skipped\n',
  );

/** Writes a filler file until the filesystem is full; returns its path (delete it to give the space back). */
async function fillUp(dir: string): Promise<string> {
  const filler = path.join(dir, 'filler');
  const handle = await open(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  return filler;
}

function events(n: number) {
  const visitor = newId();
  const session = newId();
  return Array.from({ length: n }, (_, i) => eventItem(visitor, session, Date.now() - 1000 + i));
}

describe.skipIf(!canMount)('collector on a full filesystem', () => {
  it('answers 503 while writes fail, dead-letters nothing acknowledged, and recovers when space returns', async () => {
    const dir = mountSmallFs()!;
    const file = path.join(dir, 'touchline.db');
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
    const workerErrors: string[] = [];
    // The real layout: the inbox worker on its own thread with its own connection. It starts later,
    // so the acknowledged items are still in the inbox when the disk fills.
    const collector = createCollector({
      storage,
      databasePath: file,
      settings: {
        port: 0,
        storageProbeMs: 100,
        integrity: { enabled: false },
        worker: { enabled: false, idleMs: 20, maxAttempts: 2 },
      },
      onError: (e) => workerErrors.push(e.message),
    });
    const { url } = await collector.start();
    cleanup.push(() => collector.close());

    let acknowledged = 0;
    for (let i = 0; i < 5; i++) {
      const answer = await postBatch(url, key.secret, events(50));
      expect(answer.status).toBe(202);
      acknowledged += 50;
    }

    // An empty WAL file first: a log file with room left from earlier transactions would take the
    // worker's writes without growing, so whether the worker met the full disk depended on where the
    // log stood (the test passed or failed with the same code).
    const truncate = new Database(file);
    expect(truncate.pragma('wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
    truncate.close();
    const filler = await fillUp(dir);
    // Ingest refuses (never a 202 it cannot keep) and /readyz says why.
    const refused = await waitUntil('ingest answers 503', async () => {
      const answer = await postBatch(url, key.secret, events(50));
      if (answer.status === 202) acknowledged += 50; // committed before the disk was quite full: still must not be lost
      return answer.status === 503 ? answer : undefined;
    });
    expect(refused.headers.get('retry-after')).toBe('5');
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toMatch(/disk full|database or disk is full|full/i);

    // The worker meets the full disk well past maxAttempts passes, and dead-letters nothing.
    collector.worker.start();
    await waitUntil(
      'the worker has failed several passes',
      () => workerErrors.filter((m) => /full|disk|I\/O/i.test(m)).length >= 4,
      { timeoutMs: 60_000 },
    );

    await rm(filler);
    await waitUntil('/readyz is ready again', async () => (await fetch(`${url}/readyz`)).status === 200);
    await waitUntil('ingest is acknowledged again', async () => {
      const answer = await postBatch(url, key.secret, events(10));
      if (answer.status === 202) acknowledged += 10;
      return answer.status === 202;
    });
    await collector.worker.drain();
    const db = new Database(file, { readonly: true });
    try {
      await waitUntil(
        'every acknowledged event is stored',
        () => (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n === acknowledged,
      );
      expect(db.prepare('SELECT count(*) AS n FROM inbox_dead').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  }, 120_000);
});
