// Test fixture (child process): writes inbox batches through the real storage and prints "acked <n>" after each commit, until killed.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
const { openSqliteStorage } = await import('../dialects/sqlite.js');

// The test checks that the rows it finds come in whole batches of this size.
const BATCH_SIZE = Number(process.env.BATCH_SIZE ?? 50);
const [path, accountId] = process.argv.slice(2);
const storage = openSqliteStorage({ path });
for (let n = 0; ; n++) {
  const items = Array.from({ length: BATCH_SIZE }, (_, i) => ({
    itemId: `b${n}-i${i}`,
    type: 'event',
    payload: JSON.stringify({ n, i }),
  }));
  await storage.insertInbox(accountId, items, Date.now());
  // Writes to a pipe are synchronous on Linux: the line is out before the next batch starts.
  process.stdout.write(`acked ${n}\n`);
}
