// The background checkpointer: the WAL reaches the database file without the main connection checkpointing, and a dead worker hands the job back.
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support/temp-storage.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { applyPragmas } from './sqlite-pragmas.js';
import { walBoundFrom } from './wal-bound.js';

let tmp: TempDir;
beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(async () => {
  await tmp.remove();
});

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe('startCheckpointer', () => {
  it('copies committed pages into the database file from its own thread', async () => {
    const file = tmp.file('ck.db');
    const db = new Database(file);
    applyPragmas(db);
    db.exec('CREATE TABLE t (x TEXT)');
    const checkpointer = startCheckpointer(db, file, walBoundFrom(undefined));
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(file).size;
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(200));
    })();
    // Nothing on this thread checkpoints, so only the worker can grow the main file.
    expect(await eventually(() => statSync(file).size > before)).toBe(true);
    await checkpointer.stop();
    db.close();
  });

  it('gives checkpointing back to the main connection when the worker cannot run', async () => {
    const file = tmp.file('ck2.db');
    const db = new Database(file);
    applyPragmas(db);
    startCheckpointer(db, tmp.file('no-such-dir/x.db'), walBoundFrom(undefined));
    expect(await eventually(() => db.pragma('wal_autocheckpoint', { simple: true }) === 1000)).toBe(true);
    db.close();
  });
});
