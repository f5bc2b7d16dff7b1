// The collector at the WAL's bound: while a reader pins the log, ingest answers 503 + Retry-After (nothing stored, nothing lost), and accepts again once the reader ends.
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '@touchline/storage';
import { makeTempDir } from '../../storage/src/test-support/temp-storage.js';
import type { StorageFactory } from '../../storage/src/test-support/storage-factories.js';
import { eventItem, postBatch, startCollector, type Fixture } from './test-support/collector-fixture.js';

const LIMIT = 1024 * 1024;

/** SQLite with a 1 MiB WAL bound; `file` is where the reader connects. */
function smallWal(): StorageFactory & { file: () => string } {
  let path = '';
  return {
    dialect: 'sqlite',
    file: () => path,
    async open() {
      const tmp = await makeTempDir();
      path = tmp.file('wal.db');
      const storage = openSqliteStorage({ path, walLimitBytes: LIMIT });
      await storage.migrate();
      return { storage, url: path, remove: () => tmp.remove() };
    },
  };
}

let fx: Fixture | null = null;
afterEach(async () => {
  await fx?.close();
  fx = null;
});

const bigBatch = () =>
  Array.from({ length: 200 }, () => ({
    ...eventItem(randomUUID(), null, Date.now()),
    properties: { note: 'x'.repeat(1000) },
  }));

describe('ingest at the WAL bound', () => {
  it('answers 503 + Retry-After while a reader pins the log, and stores again once it ends', async () => {
    const factory = smallWal();
    fx = await startCollector(
      { worker: { enabled: false }, integrity: { enabled: false }, disk: { walLimitBytes: LIMIT } },
      factory,
    );
    const key = await fx.keyFor('shop');
    const reader = new Database(factory.file(), { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM inbox').get();
    let accepted = 0;
    let refused: Awaited<ReturnType<typeof postBatch>> | null = null;
    for (let i = 0; i < 200 && refused === null; i++) {
      const answer = await postBatch(fx.url, key, bigBatch());
      if (answer.status === 202) accepted += answer.body.accepted as number;
      else refused = answer;
    }
    expect(refused?.status).toBe(503);
    expect(refused?.headers.get('retry-after')).toBe('1');
    expect((refused?.body.error as { code: string }).code).toBe('storage_busy');
    // A single-item route answers the same way.
    const single = await fetch(`${fx.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(eventItem(randomUUID(), null, Date.now())),
    });
    expect(single.status).toBe(503);
    expect(single.headers.get('retry-after')).toBe('1');
    const metrics = await (await fetch(`${fx.url}/metrics`)).text();
    expect(metrics).toMatch(/touchline_rejected_total\{reason="storage_busy"\} [1-9]/);

    reader.exec('COMMIT');
    reader.close();
    // The checkpointer truncates the log once the reader is gone; the retried batch is then stored.
    let retried = await postBatch(fx.url, key, bigBatch());
    for (let i = 0; i < 400 && retried.status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      retried = await postBatch(fx.url, key, bigBatch());
    }
    expect(retried.status).toBe(202);
    accepted += retried.body.accepted as number;
    const check = new Database(factory.file(), { readonly: true });
    expect(check.prepare('SELECT count(*) AS n FROM inbox').get()).toEqual({ n: accepted });
    check.close();
  }, 180_000);
});
