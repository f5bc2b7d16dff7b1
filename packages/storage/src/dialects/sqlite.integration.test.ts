// The SQLite dialect's lifecycle: pragmas, migrations (idempotent, re-openable, one transaction each, resumable after a kill, with progress) and infrastructure errors.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../storage-error.js';
import type { MigrationProgress } from '../storage.js';
import { makeTempDir, openMigrated, type TempDir } from '../test-support/temp-storage.js';
import { openSqliteStorage } from './sqlite.js';
import { createSqliteConnection } from './sqlite-connection.js';
import { migrateSqlite, SQLITE_MIGRATIONS_DIR } from './sqlite-migrations.js';
import { applyPragmas } from './sqlite-pragmas.js';

const MIGRATOR = fileURLToPath(new URL('../test-support/migrator.fixture.mjs', import.meta.url));

let tmp: TempDir;
beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(async () => {
  await tmp.remove();
});

function ledger(file: string): Array<{ version: number; name: string }> {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{
      version: number;
      name: string;
    }>;
  } finally {
    db.close();
  }
}

/** A migrations directory holding the given files. */
async function migrationsDir(files: Record<string, string>): Promise<URL> {
  const dir = tmp.file(`migrations-${Object.keys(files).length}-${Math.random().toString(36).slice(2)}`);
  await mkdir(dir);
  for (const [name, sql] of Object.entries(files)) await writeFile(`${dir}/${name}`, sql);
  return pathToFileURL(`${dir}/`);
}

describe('applyPragmas', () => {
  it('sets WAL, synchronous, busy_timeout and foreign keys on the connection', () => {
    const db = new Database(tmp.file('p.db'));
    applyPragmas(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    applyPragmas(db, { synchronous: 'full', busyTimeoutMs: 250 });
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(250);
    db.close();
  });
});

describe('sqlite migrations', () => {
  it('are idempotent, and a reopened database keeps its data and migrates to a no-op', async () => {
    const file = tmp.file('m.db');
    const storage = await openMigrated(file);
    await storage.migrate();
    const account = await storage.ensureAccount('acme', 1);
    await storage.close();

    const reopened = await openMigrated(file);
    await reopened.migrate();
    expect(await reopened.findAccount('acme')).toEqual(account);
    await reopened.close();
    expect(ledger(file)).toEqual([
      { version: 1, name: '001-initial.sql' },
      { version: 2, name: '002-sdk-health.sql' },
      { version: 3, name: '003-dashboard-admin.sql' },
      { version: 4, name: '004-sessions-keyed-by-visitor.sql' },
      { version: 5, name: '005-inbox-pending-by-statement.sql' },
      { version: 6, name: '006-order-independent-merge.sql' },
      { version: 7, name: '007-sdk-clock-offset.sql' },
      { version: 8, name: '008-ad-spend.sql' },
      { version: 9, name: '009-rollups.sql' },
      { version: 10, name: '010-visitor-gaps.sql' },
      { version: 12, name: '012-visitor-aliases.sql' },
      { version: 13, name: '013-erasure.sql' },
      { version: 14, name: '014-goals-and-funnels.sql' },
      { version: 15, name: '015-utm-dimensions.sql' },
      { version: 16, name: '016-journeys.sql' },
      { version: 17, name: '017-conversion-uploads.sql' },
      { version: 20, name: '020-cookieless-secrets.sql' },
      { version: 21, name: '021-dashboard-state.sql' },
      { version: 22, name: '022-dashboard-users.sql' },
      { version: 23, name: '023-path-steps.sql' },
      { version: 24, name: '024-visitor-days.sql' },
      { version: 25, name: '025-journey-live-persons.sql' },
      { version: 26, name: '026-person-paths.sql' },
      { version: 27, name: '027-person-path-days.sql' },
      { version: 28, name: '028-sessions-by-visitor-start.sql' },
    ]);
  });

  it('004 rekeys sessions by visitor and keeps every stored session as it was', async () => {
    const file = tmp.file('m004.db');
    const conn = createSqliteConnection(new Database(file), file);
    const upTo3: Record<string, string> = {};
    for (const name of (await readdir(SQLITE_MIGRATIONS_DIR)).filter((n) => /^00[1-3]-/.test(n))) {
      upTo3[name] = await readFile(new URL(name, SQLITE_MIGRATIONS_DIR), 'utf8');
    }
    await migrateSqlite(conn, await migrationsDir(upTo3));
    conn.db.exec("INSERT INTO accounts (key, id, name, created_at) VALUES (1, 'acc', 'acme', 0)");
    const insert =
      conn.db.prepare(`INSERT INTO sessions (account_key, id, visitor_id, started_at, last_seen_at, landing_url,
      landing_host, referrer, channel, utm, click_ids, event_count, pageview_count) VALUES (1, ?, ?, ?, ?, ?, 'shop.example', NULL, 'direct', '{}', '{}', ?, 1)`);
    for (let i = 0; i < 50; i++)
      insert.run(`s${(i * 37) % 50}`, `v${i % 7}`, i, i + 5, `https://shop.example/${i}`, i + 1);
    const all = 'SELECT * FROM sessions ORDER BY id';
    const before = conn.db.prepare(all).all();
    const upTo4: Record<string, string> = { ...upTo3 };
    for (const name of (await readdir(SQLITE_MIGRATIONS_DIR)).filter((n) => /^004-/.test(n))) {
      upTo4[name] = await readFile(new URL(name, SQLITE_MIGRATIONS_DIR), 'utf8');
    }
    await migrateSqlite(conn, await migrationsDir(upTo4));
    expect(conn.db.prepare(all).all()).toEqual(before);
    // 006 keeps every landing as it was, without a rank (repair-sessions ranks them).
    await migrateSqlite(conn);
    expect(conn.db.prepare(all).all()).toEqual(
      (before as Array<Record<string, unknown>>).map((row) => ({
        ...row,
        landing_rank: null,
        landing_at: null,
        landing_item: null,
      })),
    );
    const key = conn.db
      .prepare(
        "SELECT name FROM pragma_index_info((SELECT name FROM sqlite_master WHERE tbl_name = 'sessions' AND name LIKE 'sqlite_autoindex%'))",
      )
      .pluck()
      .all();
    expect(key).toEqual(['account_key', 'visitor_id', 'id']);
    const indexes = conn.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sessions' AND sql IS NOT NULL")
      .pluck()
      .all();
    expect(indexes).toEqual(['sessions_by_activity', 'sessions_by_visitor_start']); // the second since 028
    conn.db.close();
  });

  it('applies only the files not yet recorded, in version order', async () => {
    const file = tmp.file('m2.db');
    const conn = createSqliteConnection(new Database(file), file);
    const first = await migrationsDir({ '001-a.sql': 'CREATE TABLE a (x INTEGER);' });
    await migrateSqlite(conn, first);
    const second = await migrationsDir({
      '001-a.sql': 'CREATE TABLE a (x INTEGER);', // would fail if run twice
      '010-c.sql': 'INSERT INTO b VALUES (2);',
      '002-b.sql': 'CREATE TABLE b (y INTEGER); INSERT INTO b VALUES (1);',
    });
    await migrateSqlite(conn, second);
    await migrateSqlite(conn, second);
    expect(conn.db.prepare('SELECT y FROM b ORDER BY y').pluck().all()).toEqual([1, 2]);
    conn.db.close();
    expect(ledger(file).map((m) => m.name)).toEqual(['001-a.sql', '002-b.sql', '010-c.sql']);
  });

  it('rolls a failing migration back, keeps the ones before it, and names the file that failed', async () => {
    const file = tmp.file('m3.db');
    const conn = createSqliteConnection(new Database(file), file);
    const dir = await migrationsDir({
      '001-ok.sql': 'CREATE TABLE ok (x INTEGER);',
      '002-bad.sql': 'CREATE TABLE half (x INTEGER); INSERT INTO nope VALUES (1);',
    });
    const error = await migrateSqlite(conn, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'migration_failed', message: expect.stringContaining('002-bad.sql') });
    expect(
      conn.db.prepare("SELECT name FROM sqlite_master WHERE name IN ('ok', 'half') ORDER BY name").pluck().all(),
    ).toEqual(['ok']);
    const fixed = await migrationsDir({
      '001-ok.sql': 'CREATE TABLE ok (x INTEGER);',
      '002-good.sql': 'CREATE TABLE good (x INTEGER);',
    });
    await migrateSqlite(conn, fixed);
    conn.db.close();
    expect(ledger(file).map((m) => m.name)).toEqual(['001-ok.sql', '002-good.sql']);
  });

  it('reports each pending migration before and after it runs, and whether the database is new', async () => {
    const file = tmp.file('m4.db');
    const conn = createSqliteConnection(new Database(file), file);
    const steps: MigrationProgress[] = [];
    const onProgress = (step: MigrationProgress): void => {
      steps.push(step);
    };
    await migrateSqlite(
      conn,
      await migrationsDir({ '001-a.sql': 'CREATE TABLE a (x INTEGER);', '002-b.sql': 'CREATE TABLE b (x INTEGER);' }),
      Date.now,
      { onProgress },
    );
    await migrateSqlite(
      conn,
      await migrationsDir({ '001-a.sql': '', '002-b.sql': '', '003-c.sql': 'CREATE TABLE c (x INTEGER);' }),
      Date.now,
      { onProgress },
    );
    await migrateSqlite(conn, await migrationsDir({ '001-a.sql': '', '002-b.sql': '', '003-c.sql': '' }), Date.now, {
      onProgress,
    });
    conn.db.close();
    expect(
      steps.map(
        ({ phase, name, index, total, upgrade }) => `${phase} ${name} ${index}/${total} ${upgrade ? 'upgrade' : 'new'}`,
      ),
    ).toEqual([
      'start 001-a.sql 1/2 new',
      'done 001-a.sql 1/2 new',
      'start 002-b.sql 2/2 new',
      'done 002-b.sql 2/2 new',
      'start 003-c.sql 1/1 upgrade',
      'done 003-c.sql 1/1 upgrade',
    ]);
    for (const step of steps) if (step.phase === 'done') expect(step.ms).toBeGreaterThanOrEqual(0);
  });

  it('resumes after a kill during a long migration: the committed ones stay, the killed one runs again from nothing', async () => {
    const file = tmp.file('m5.db');
    // 002 builds a table from a billion generated rows: minutes, so the kill lands inside it.
    const slow = await migrationsDir({
      '001-a.sql': 'CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);',
      '002-slow.sql':
        'CREATE TABLE slow AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000000) SELECT x FROM n;',
      '003-c.sql': 'CREATE TABLE c (x INTEGER);',
    });
    const child = spawn(process.execPath, [MIGRATOR, 'sqlite', file, slow.href], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout });
    const seen: string[] = [];
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    for await (const line of lines) {
      seen.push(line);
      if (line.includes('"phase":"start"') && line.includes('002-slow.sql')) break;
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(seen.map((l) => l.replace(/"ms":[\d.]+/, '"ms":0'))).toEqual([
      '{"phase":"start","name":"001-a.sql","index":1,"total":3,"upgrade":false}',
      '{"phase":"done","name":"001-a.sql","index":1,"total":3,"upgrade":false,"ms":0}',
      '{"phase":"start","name":"002-slow.sql","index":2,"total":3,"upgrade":false}',
    ]);
    expect(ledger(file).map((m) => m.name)).toEqual(['001-a.sql']);
    // The next start resumes at 002 (here a quick one of the same version) and goes on to 003.
    const conn = createSqliteConnection(new Database(file), file);
    expect(conn.db.prepare("SELECT name FROM sqlite_master WHERE name = 'slow'").all()).toEqual([]);
    const steps: string[] = [];
    await migrateSqlite(
      conn,
      await migrationsDir({
        '001-a.sql': 'not run again',
        '002-slow.sql': 'CREATE TABLE slow (x INTEGER);',
        '003-c.sql': 'CREATE TABLE c (x INTEGER);',
      }),
      Date.now,
      {
        onProgress: (s) => {
          if (s.phase === 'start') steps.push(`${s.name} ${s.index}/${s.total} ${s.upgrade}`);
        },
      },
    );
    expect(conn.db.prepare('SELECT x FROM a').pluck().all()).toEqual([1]);
    conn.db.close();
    expect(steps).toEqual(['002-slow.sql 1/2 true', '003-c.sql 2/2 true']);
    expect(ledger(file).map((m) => m.name)).toEqual(['001-a.sql', '002-slow.sql', '003-c.sql']);
  }, 120_000);

  it('rejects badly named or duplicate-version files before touching the database', async () => {
    const conn = createSqliteConnection(new Database(':memory:'), ':memory:');
    await expect(migrateSqlite(conn, await migrationsDir({ 'initial.sql': '' }))).rejects.toMatchObject({
      code: 'migration_failed',
    });
    await expect(migrateSqlite(conn, await migrationsDir({ '1-a.sql': '', '001-b.sql': '' }))).rejects.toMatchObject({
      code: 'migration_failed',
      message: expect.stringContaining('share version 1'),
    });
    conn.db.close();
  });

  it('finds the package migrations relative to the module, outside src/ and dist/', () => {
    expect(SQLITE_MIGRATIONS_DIR.pathname).toMatch(/\/packages\/storage\/migrations\/sqlite\/$/);
  });
});

describe('openSqliteStorage errors', () => {
  it('reports a database that cannot be opened as open_failed with its path', () => {
    const path = tmp.file('missing-dir/x.db');
    expect(() => openSqliteStorage({ path })).toThrow(StorageError);
    expect(() => openSqliteStorage({ path })).toThrow(
      expect.objectContaining({ code: 'open_failed', message: expect.stringContaining(path) }),
    );
  });

  it('reports a query on a closed storage as query_failed naming the query', async () => {
    const storage = await openMigrated(tmp.file('c.db'));
    await storage.close();
    await expect(storage.findAccount('x')).rejects.toMatchObject({
      code: 'query_failed',
      message: expect.stringContaining('findAccount'),
    });
  });

  it('works in memory', async () => {
    const storage = await openMigrated(':memory:');
    expect(storage.dialect).toBe('sqlite');
    expect((await storage.ensureAccount('m', 1)).name).toBe('m');
    await storage.close();
  });
});
