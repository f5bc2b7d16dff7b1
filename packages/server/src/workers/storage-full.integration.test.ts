// Issue 16 item 4, deterministically: a database that cannot grow (SQLite max_page_count, the same SQLITE_FULL a full disk gives) never dead-letters an acknowledged row.
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { openSqliteStorage, type Storage } from '@touchline/storage';
import { makeTempDir, type TempDir } from '../../../storage/src/test-support/temp-storage.js';
import { parseServerSettings } from '../server-settings.js';
import { createInboxWorker } from './inbox-worker.js';

let tmp: TempDir | null = null;
const opened: Storage[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  await tmp?.remove();
  tmp = null;
});

function open(path: string, maxPageCount?: number): Storage {
  const storage = openSqliteStorage({ path, ...(maxPageCount === undefined ? {} : { maxPageCount }) });
  opened.push(storage);
  return storage;
}

function count(path: string, sql: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const metrics = { processed: { inc: () => {} } };

describe('inbox worker on a database that cannot grow', () => {
  it('fails its passes as unavailable, dead-letters nothing, keeps attempts below maxAttempts, and finishes every row once there is room', async () => {
    tmp = await makeTempDir();
    const file = tmp.file('full.db');
    const first = open(file);
    await first.migrate();
    const account = await first.ensureAccount('a', Date.now());
    // Acknowledged items: in the inbox, committed. Each carries enough properties that processing them needs new pages.
    const items = Array.from({ length: 300 }, () => {
      const at = Date.now();
      const item = {
        type: 'event',
        id: newId(at),
        timestamp: new Date(at).toISOString(),
        visitor_id: randomUUID(),
        session_id: randomUUID(),
        context: null,
        name: 'x',
        properties: { text: 'p'.repeat(400) },
      };
      return { itemId: item.id, type: 'event', payload: JSON.stringify(item) };
    });
    await first.insertInbox(account.id, items, Date.now());
    await first.close();

    // The database may not grow by a single page: what a full disk does to SQLite, made deterministic.
    const pages = count(file, 'SELECT page_count AS n FROM pragma_page_count()');
    const full = open(file, pages);
    const settings = parseServerSettings({ worker: { maxAttempts: 2 } });
    const worker = createInboxWorker({ storage: full, settings, metrics, now: Date.now, onError: () => {} });
    for (let pass = 0; pass < 6; pass++) {
      await expect(worker.runOnce()).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringMatching(/full/),
      });
    }
    await expect(full.probe()).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/max_page_count/),
    });
    await full.close();
    expect(count(file, 'SELECT count(*) AS n FROM inbox_dead')).toBe(0);
    // Six failed passes did not count as attempts: the rows are as fresh as before.
    expect(count(file, 'SELECT max(attempts) AS n FROM inbox_pending')).toBe(0);

    // Space returns: every acknowledged item is processed, none dead-lettered.
    const roomy = open(file);
    await roomy.probe();
    await createInboxWorker({ storage: roomy, settings, metrics, now: Date.now, onError: () => {} }).drain();
    await roomy.close();
    expect(count(file, 'SELECT count(*) AS n FROM events')).toBe(items.length);
    expect(count(file, 'SELECT count(*) AS n FROM inbox_dead')).toBe(0);
  });
});
