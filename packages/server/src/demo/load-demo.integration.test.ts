// loadDemo against a WAL at its bound: while a reader pins the log, writes are refused as `busy`; the load waits them out (on the thread and inline) and loses nothing.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage, type Storage } from '@touchline/storage';
import { refuseThresholdBytes, walFileBytes } from '../../../storage/src/dialects/wal-bound.js';
import { makeTempDir, type TempDir } from '../../../storage/src/test-support/temp-storage.js';
import { waitUntil } from '../test-support/wait-until.js';
import { generateDemoTraffic } from './demo-traffic.js';
import { loadDemo } from './load-demo.js';

const LIMIT = 4 * 1024 * 1024;
const NOW = Date.parse('2026-11-30T12:00:00Z');

let tmp: TempDir;
let file: string;
let storage: Storage;
beforeEach(async () => {
  tmp = await makeTempDir();
  file = tmp.file('demo.db');
  storage = openSqliteStorage({ path: file, walLimitBytes: LIMIT });
  await storage.migrate();
});
afterEach(async () => {
  await storage.close();
  await tmp.remove();
});

describe('loadDemo with the WAL at its bound', () => {
  it.each([
    ['on the worker thread', true],
    ['inline', false],
  ])(
    '%s: waits while a reader pins the log, then loads every item once it ends',
    async (_name, threaded) => {
      const account = await storage.ensureAccount('demo', NOW);
      const traffic = generateDemoTraffic({ seed: 3, days: 8, now: NOW, sessionsPerDay: 400 });
      // A first item, so the reader's snapshot is one the WAL holds frames of.
      await storage.insertInbox(account.id, traffic.items.slice(0, 1), NOW);
      const reader = new Database(file, { readonly: true });
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) AS n FROM inbox').get();
      let peak = 0;
      const load = loadDemo(storage, account.id, traffic.items.slice(1), {
        chunkItems: 500,
        walLimitBytes: LIMIT,
        databasePath: threaded ? file : undefined,
        onProgress: () => {
          peak = Math.max(peak, walFileBytes(file));
        },
      });
      const settled = load.then(
        () => 'done',
        (error: unknown) => error,
      );
      try {
        // The negative control: the pin really stops writing (the WAL reaches the point of refusal)
        // and the load is still waiting half a second later, where before it failed with "busy".
        const outcome = await waitUntil(
          'the WAL reaches the point of refusal, or the load ends',
          async () => {
            peak = Math.max(peak, walFileBytes(file));
            if (peak >= refuseThresholdBytes({ limitBytes: LIMIT })) return 'refusing';
            return await Promise.race([settled, Promise.resolve(undefined)]);
          },
          { timeoutMs: 200_000, everyMs: 20 },
        );
        expect(outcome).toBe('refusing');
        expect(await Promise.race([settled, new Promise((resolve) => setTimeout(() => resolve('pending'), 500))])).toBe(
          'pending',
        );
      } finally {
        reader.exec('COMMIT');
        reader.close();
      }
      expect(await settled).toBe('done');
      expect(await load).toBe(traffic.items.length - 1);
      expect(await storage.inboxHealth()).toMatchObject({ pending: 0, dead: 0 });
      const sessions = (await storage.countSessionsByChannel(account.id, 0, NOW + 1)).reduce(
        (sum, c) => sum + c.sessions,
        0,
      );
      expect(sessions).toBe(traffic.counts.sessions);
      expect(peak).toBeLessThan(LIMIT + LIMIT / 2);
    },
    300_000,
  );
});
