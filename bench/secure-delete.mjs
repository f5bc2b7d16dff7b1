// Bench: the SQLite write mix (inbox appends, session upserts that rewrite rows, inbox pruning) under secure_delete OFF, FAST and ON, as ratios to OFF in one run.
// Why: erasure (docs/privacy.md) needs deleted and rewritten cells zeroed, so every storage connection runs with
// secure_delete = FAST; this measures what that costs against SQLite's default. No build needed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';

const ROUNDS = 300;
const ITEMS = 500; // inbox rows per round, also pruned per round after a lag
const SESSIONS = 100; // sessions upserted per round, each rewritten with a longer landing url

function run(mode) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-secure-delete-'));
  const db = new Database(path.join(dir, 'b.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`secure_delete = ${mode}`);
  db.exec(`CREATE TABLE inbox (seq INTEGER PRIMARY KEY, item_id TEXT NOT NULL, payload TEXT NOT NULL);
    CREATE TABLE sessions (visitor_id TEXT NOT NULL, id TEXT NOT NULL, landing TEXT, n INTEGER NOT NULL, PRIMARY KEY (visitor_id, id)) WITHOUT ROWID;`);
  const insert = db.prepare('INSERT INTO inbox (item_id, payload) VALUES (?, ?)');
  const upsert = db.prepare(`INSERT INTO sessions (visitor_id, id, landing, n) VALUES (?, ?, ?, 1)
    ON CONFLICT (visitor_id, id) DO UPDATE SET landing = excluded.landing, n = n + 1`);
  const prune = db.prepare('DELETE FROM inbox WHERE seq <= ?');
  const visitors = Array.from({ length: SESSIONS * 20 }, () => randomUUID());
  const payload = 'x'.repeat(200);
  const round = db.transaction((r) => {
    for (let i = 0; i < ITEMS; i++) insert.run(randomUUID(), `[1,${r},"${visitors[i % visitors.length]}",${payload}]`);
    for (let i = 0; i < SESSIONS; i++) {
      const v = visitors[(r * SESSIONS + i) % visitors.length];
      upsert.run(v, `s-${v}`, `https://shop.example/${'p/'.repeat(r % 7)}?r=${r}`);
    }
    if (r > 10) prune.run((r - 10) * ITEMS);
  });
  const start = process.hrtime.bigint();
  for (let r = 0; r < ROUNDS; r++) round(r);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

const modes = ['OFF', 'FAST', 'ON'];
const totals = Object.fromEntries(modes.map((m) => [m, 0]));
for (let rep = 0; rep < 3; rep++) for (const m of modes) totals[m] += run(m); // interleaved: machine load hits every mode alike
const rows = ROUNDS * (ITEMS + SESSIONS) * 3;
for (const m of modes) {
  console.log(
    `secure_delete=${m.padEnd(4)} ${((rows / totals[m]) * 1000).toFixed(0).padStart(8)} writes/s   time vs OFF: ${(totals[m] / totals.OFF).toFixed(3)}`,
  );
}
