// Bench: one erasure over a SQLite inbox of 200,000 items, against one plain scan of that inbox for the person's id, same run.
// Why: the processed inbox is searched in windows of 5,000 rows (one short transaction each) so ingest on the same
// file is never held for a whole scan; this prints the whole erasure's time, the average hold per window, and the ratio
// to a bare scan. Needs the built packages: npx tsc -b packages/core packages/storage
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { newId } from '../packages/core/dist/index.js';
import { openSqliteStorage } from '../packages/storage/dist/index.js';

const ITEMS = 200_000;
const WINDOW = 5_000;
const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-erasure-bench-'));
const file = path.join(dir, 'b.db');
const storage = openSqliteStorage({ path: file });
await storage.migrate();
const account = await storage.ensureAccount('bench', Date.now());
const person = newId();
const t0 = Date.now() - 86_400_000;
for (let done = 0; done < ITEMS; done += 1000) {
  const items = Array.from({ length: 1000 }, (_, i) => {
    const n = done + i;
    const visitor = n % 1000 === 0 ? person : newId(t0 + n);
    return {
      itemId: newId(t0 + n),
      type: 'pageview',
      payload: JSON.stringify([
        1,
        t0 + n,
        visitor,
        newId(t0 + n),
        ['https://shop.example/p', null, 'Mozilla/5.0', '203.0.113.0', {}, {}, null],
      ]),
    };
  });
  await storage.insertInbox(account.id, items, t0 + done);
}
// As after the worker: the items are processed (a backlog of pending rows is the exception).
const raw = new Database(file);
raw.exec('DELETE FROM inbox_pending');
let start = process.hrtime.bigint();
const found = raw.prepare('SELECT count(*) AS n FROM inbox WHERE instr(payload, ?) > 0').get(JSON.stringify(person)).n;
const scanMs = Number(process.hrtime.bigint() - start) / 1e6;
raw.close();
start = process.hrtime.bigint();
const result = await storage.erasePerson({
  accountId: account.id,
  subject: { kind: 'visitor', id: person },
  requestedBy: 'bench',
  now: Date.now(),
  tombstoneMs: 86_400_000,
});
const eraseMs = Number(process.hrtime.bigint() - start) / 1e6;
await storage.close();
rmSync(dir, { recursive: true, force: true });
const windows = Math.ceil(ITEMS / WINDOW);
console.log(`inbox ${ITEMS} items, the person's ${found}; erased ${result.removed.inbox} inbox items`);
console.log(
  `bare scan ${scanMs.toFixed(1)} ms; erasure ${eraseMs.toFixed(1)} ms (${(eraseMs / scanMs).toFixed(2)}x the scan), ~${(eraseMs / (windows + 2)).toFixed(1)} ms per transaction over ${windows} windows + main + audit`,
);
