// Proves an acknowledged inbox batch survives kill -9 of the writing process right after the acknowledgement.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, openMigrated, type TempDir } from '../test-support/temp-storage.js';

// The fixture runs the real openSqliteStorage/insertInbox from src/ (through test-only module hooks
// that transpile TypeScript on load), in a plain node process that can be SIGKILLed.
const FIXTURE = fileURLToPath(new URL('../test-support/inbox-writer.fixture.mjs', import.meta.url));
const BATCH_SIZE = 50;
const KILL_AFTER = 25;

/** Runs the writer until it prints `acked <KILL_AFTER>`, SIGKILLs it on that line, returns the last batch it saw acked. */
function writeUntilKilled(
  dbFile: string,
  accountId: string,
): Promise<{ lastAcked: number; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FIXTURE, dbFile, accountId], {
      env: { ...process.env, BATCH_SIZE: String(BATCH_SIZE) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastAcked = -1;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^acked (\d+)$/.exec(line);
        if (match === null) continue;
        lastAcked = Number(match[1]);
        if (lastAcked >= KILL_AFTER) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ lastAcked, signal, stderr }));
  });
}

describe('sqlite inbox durability', () => {
  let tmp: TempDir;
  beforeEach(async () => {
    tmp = await makeTempDir();
  });
  afterEach(async () => {
    await tmp.remove();
  });

  it('keeps every acknowledged batch, whole, after the writer is SIGKILLed', async () => {
    const file = tmp.file('inbox.db');
    const setup = await openMigrated(file);
    const account = await setup.ensureAccount('durable', 1);
    await setup.close();

    const { lastAcked, signal, stderr } = await writeUntilKilled(file, account.id);
    expect(stderr).toBe('');
    expect(signal).toBe('SIGKILL');
    expect(lastAcked).toBeGreaterThanOrEqual(KILL_AFTER);

    const raw = new Database(file);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const storage = await openMigrated(file);
    try {
      for (let n = 0; n <= lastAcked; n++) {
        // Re-sending an acknowledged batch must find every item already stored.
        const again = await storage.insertInbox(
          account.id,
          Array.from({ length: BATCH_SIZE }, (_, i) => ({
            itemId: `b${n}-i${i}`,
            type: 'event',
            payload: '{}',
          })),
          2,
        );
        expect(again, `batch ${n}`).toEqual({ inserted: 0, duplicates: BATCH_SIZE });
      }
      // Transactions are all-or-nothing: whatever the kill interrupted is absent, not half there.
      const health = await storage.inboxHealth();
      expect(health.pending % BATCH_SIZE).toBe(0);
      expect(health.pending).toBeGreaterThanOrEqual((lastAcked + 1) * BATCH_SIZE);
    } finally {
      await storage.close();
    }
  });
});
