// Thread-mode inbox worker on a real SQLite file: end to end, clean shutdown, and a crashed thread's work taken over.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { openSqliteStorage, type Storage } from '@touchline/storage';
import { createCollector, type Collector } from '../create-collector.js';
import type { ServerSettingsInput } from '../server-settings.js';
import type { ThreadInboxWorker } from './inbox-thread-worker.js';

let dir = '';
let collector: Collector | null = null;
afterEach(async () => {
  await collector?.close();
  collector = null;
  rmSync(dir, { recursive: true, force: true });
});

function items(count: number) {
  return Array.from({ length: count }, () => {
    const at = Date.now();
    const e = {
      type: 'event',
      id: newId(at),
      timestamp: new Date(at).toISOString(),
      visitor_id: randomUUID(),
      session_id: randomUUID(),
      context: null,
      name: 'x',
      properties: {},
    };
    return { itemId: e.id, type: 'event', payload: JSON.stringify(e) };
  });
}

async function startThreaded(
  worker: ServerSettingsInput['worker'] = {},
  more: ServerSettingsInput = {},
): Promise<{ storage: Storage; errors: Error[]; accountId: string }> {
  dir = mkdtempSync(join(tmpdir(), 'touchline-thread-'));
  const databasePath = join(dir, 'touchline.db');
  const storage = openSqliteStorage({ path: databasePath });
  const errors: Error[] = [];
  collector = createCollector({
    storage,
    databasePath,
    settings: { port: 0, worker: { idleMs: 10, ...worker }, ...more },
    onError: (e) => errors.push(e),
  });
  await collector.start();
  const account = await storage.ensureAccount('a', Date.now());
  return { storage, errors, accountId: account.id };
}

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('inbox worker in a thread', () => {
  it('processes items end to end on its own connection and counts them in /metrics', async () => {
    const { storage, errors, accountId } = await startThreaded({ batchSize: 50 });
    expect(collector?.workerMode).toBe('thread');
    const worker = collector?.worker as ThreadInboxWorker;
    expect(worker.thread()).not.toBeNull();
    await storage.insertInbox(accountId, items(300), Date.now());
    await until(async () => (await storage.inboxHealth()).pending === 0);
    expect((await storage.stats(accountId, 0, Date.now() + 1000)).events).toBe(300);
    expect(await worker.stats()).toEqual({ done: 300, dead: 0 });
    await until(
      async () =>
        (await collector?.metrics.processed.get())?.values.find((v) => v.labels.outcome === 'done')?.value === 300,
    );
    expect(worker.mode()).toBe('thread');
    expect(errors).toEqual([]);
  });

  it('drains on request, and close() waits for the current pass and lets the thread exit', async () => {
    const { storage, errors, accountId } = await startThreaded({ batchSize: 100, idleMs: 60_000 });
    const worker = collector?.worker as ThreadInboxWorker;
    const thread = worker.thread();
    const exited = new Promise<number>((resolve) => thread?.once('exit', resolve));
    await storage.insertInbox(accountId, items(500), Date.now());
    await worker.drain();
    expect((await storage.inboxHealth()).pending).toBe(0);
    await storage.insertInbox(accountId, items(200), Date.now());
    const closing = collector?.close();
    collector = null;
    await closing;
    expect(await exited).toBe(0);
    expect(worker.thread()).toBeNull();
    expect(errors).toEqual([]);
  });

  it('reports a crashed thread and keeps processing on the main thread', async () => {
    const { storage, errors, accountId } = await startThreaded({ batchSize: 50, leaseMs: 300 });
    const worker = collector?.worker as ThreadInboxWorker;
    await storage.insertInbox(accountId, items(200), Date.now());
    await worker.thread()?.terminate();
    await until(async () => worker.mode() === 'inline');
    expect(collector?.workerMode).toBe('inline'); // the collector reports where work runs now, not where it started
    expect(errors.map((e) => e.message).join('\n')).toMatch(/inbox worker thread failed/);
    await storage.insertInbox(accountId, items(200), Date.now());
    await until(async () => (await storage.inboxHealth()).pending === 0);
    expect((await storage.stats(accountId, 0, Date.now() + 1000)).events).toBe(400);
    await worker.drain();
  });

  it("prunes processed inbox rows past inboxKeepDays on the thread, off the collector's event loop", async () => {
    const { storage, errors, accountId } = await startThreaded({}, { maintenanceIntervalMs: 20 });
    const worker = collector?.worker as ThreadInboxWorker;
    // Rows received 40 days ago (as if the collector had run then) and rows received now.
    await storage.insertInbox(accountId, items(120), Date.now() - 40 * 86_400_000);
    await storage.insertInbox(accountId, items(30), Date.now());
    await until(
      async () => (await storage.readProcessedInbox({ accountId, afterSeq: 0, limit: 1000 })).rows.length === 30,
    );
    expect((await storage.stats(accountId, 0, Date.now() + 1000)).events).toBe(150);
    expect(await worker.stats()).toEqual({ done: 150, dead: 0 });
    expect(worker.mode()).toBe('thread');
    expect(errors).toEqual([]);
  });

  it('stays inline for :memory: and rejects an explicit thread mode it cannot honour', async () => {
    const storage = openSqliteStorage({ path: ':memory:' });
    expect(createCollector({ storage, databasePath: ':memory:' }).workerMode).toBe('inline');
    expect(createCollector({ storage }).workerMode).toBe('inline');
    expect(() => createCollector({ storage, settings: { worker: { mode: 'thread' } } })).toThrow(/worker\.mode/);
    await storage.close();
  });
});
