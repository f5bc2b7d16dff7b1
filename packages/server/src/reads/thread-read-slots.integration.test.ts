// A query's error crosses the read thread boundary with its name, code and message (a Result in the reply), a storage error as a StorageError.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage, StorageError } from '@touchline/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveReadThreadEntry, threadReadSlots } from './thread-read-slots.js';

let dir: string | null = null;
afterEach(() => {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('thread read slots', () => {
  it('answers a query, and rejects a refused one with the error storage threw', async () => {
    const entry = resolveReadThreadEntry();
    if (entry === null) throw new Error('read thread entry not built: run npm run build first');
    dir = mkdtempSync(join(tmpdir(), 'touchline-read-slots-'));
    const path = join(dir, 'db.sqlite');
    const storage = openSqliteStorage({ path });
    await storage.migrate();
    await storage.close();
    const [slot] = threadReadSlots({ entry, target: { dialect: 'sqlite', path }, count: 1, onError: () => {} });
    const answered = slot!.exec('timeSeries', ['acct', { from: 0, to: 3_600_000, bucketMs: 3_600_000 }]);
    expect(await answered.result).toHaveLength(1);
    const refused = slot!.exec('timeSeries', ['acct', { from: 10, to: 10, bucketMs: 3_600_000 }]);
    await expect(refused.result).rejects.toMatchObject({
      name: 'StorageError',
      code: 'query_failed',
      message: expect.stringMatching(/timeSeries: \[10, 10\) .* must be a non-empty range/),
    });
    // A StorageError again on this side, so the routes map its code (busy -> 503) as for inline reads.
    await expect(refused.result).rejects.toBeInstanceOf(StorageError);
    refused.cancel();
  });
});
