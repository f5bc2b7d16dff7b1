// The PostgreSQL dialect's lifecycle: concurrent migrations under the advisory lock, transactional failures, concurrent claims.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage } from '../open-storage.js';
import { StorageError } from '../storage-error.js';
import type { Storage } from '../storage.js';
import { postgresFactory, storageFactories, testPgUrl, withSchema } from '../test-support/storage-factories.js';
import { inboxItems } from '../test-support/temp-storage.js';
import { createPostgresConnection } from './postgres-connection.js';
import { migratePostgres } from './postgres-migrations.js';

const postgres = (await storageFactories(process.env, import.meta.url)).find((f) => f.dialect === 'postgres');
const base = testPgUrl();
const MIGRATOR = fileURLToPath(new URL('../test-support/migrator.fixture.mjs', import.meta.url));

async function sql<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(postgres === undefined)('postgres dialect', () => {
  let schema: string;
  let opened: Storage[];
  let tmp: string;
  const open = (): Storage => {
    const storage = openStorage(`${withSchema(base, schema)}&pool=2`);
    opened.push(storage);
    return storage;
  };
  beforeEach(async () => {
    schema = `t_${randomBytes(6).toString('hex')}`;
    opened = [];
    tmp = await mkdtemp(join(tmpdir(), 'touchline-pg-'));
  });
  afterEach(async () => {
    for (const storage of opened) await storage.close();
    await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await rm(tmp, { recursive: true, force: true });
  });

  async function migrationsDir(files: Record<string, string>): Promise<URL> {
    const dir = join(tmp, `m-${randomBytes(4).toString('hex')}`);
    await mkdir(dir);
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    return pathToFileURL(`${dir}/`);
  }

  it('migrates once when several processes start at once, creating the schema, and keeps data on reopen', async () => {
    await (postgres as NonNullable<typeof postgres>).open().then((t) => t.remove()); // the server is reachable (fails loudly under CI otherwise)
    const starters = [open(), open(), open(), open()];
    await Promise.all(starters.map((s) => s.migrate()));
    const ledger = await sql<{ version: number; name: string }>(
      `SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`,
    );
    expect(ledger).toEqual([
      { version: 1, name: '001-initial.sql' },
      { version: 2, name: '002-sdk-health.sql' },
      { version: 3, name: '003-dashboard-admin.sql' },
      { version: 4, name: '004-sessions-keyed-by-visitor.sql' },
      { version: 5, name: '005-order-independent-merge.sql' },
      { version: 6, name: '006-sdk-clock-offset.sql' },
      { version: 7, name: '007-ad-spend.sql' },
      { version: 8, name: '008-rollups.sql' },
      { version: 9, name: '009-visitor-gaps.sql' },
      { version: 11, name: '011-visitor-aliases.sql' },
      { version: 12, name: '012-erasure.sql' },
      { version: 13, name: '013-goals-and-funnels.sql' },
      { version: 14, name: '014-utm-dimensions.sql' },
      { version: 15, name: '015-journeys.sql' },
      { version: 16, name: '016-conversion-uploads.sql' },
      { version: 19, name: '019-cookieless-secrets.sql' },
      { version: 20, name: '020-dashboard-state.sql' },
      { version: 21, name: '021-dashboard-users.sql' },
      { version: 22, name: '022-path-steps.sql' },
      { version: 23, name: '023-visitor-days.sql' },
      { version: 24, name: '024-journey-live-persons.sql' },
      { version: 25, name: '025-person-paths.sql' },
      { version: 26, name: '026-person-path-days.sql' },
    ]);
    const account = await starters[0]!.ensureAccount('acme', 1);
    const reopened = open();
    await reopened.migrate();
    expect(await reopened.findAccount('acme')).toEqual(account);
  });

  it('rolls a failing migration back, keeps the ones before it, and names the file that failed', async () => {
    const conn = createPostgresConnection({ url: base, schema, poolSize: 1 });
    try {
      const dir = await migrationsDir({
        '001-ok.sql': 'CREATE TABLE ok (x integer);',
        '002-bad.sql': 'CREATE TABLE half (x integer); INSERT INTO nope VALUES (1);',
      });
      const error = await migratePostgres(conn, schema, dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ code: 'migration_failed', message: expect.stringContaining('002-bad.sql') });
      expect(
        await sql(
          'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name IN ($2, $3)',
          [schema, 'ok', 'half'],
        ),
      ).toEqual([{ table_name: 'ok' }]);
      const good = await migrationsDir({
        '001-ok.sql': 'CREATE TABLE ok (x integer);',
        '002-b.sql': 'CREATE TABLE b (y integer);',
      });
      await migratePostgres(conn, schema, good);
      await migratePostgres(conn, schema, good);
      expect(
        (await sql<{ name: string }>(`SELECT name FROM ${schema}.schema_migrations ORDER BY version`)).map(
          (r) => r.name,
        ),
      ).toEqual(['001-ok.sql', '002-b.sql']);
    } finally {
      await conn.pool.end();
    }
  });

  it('resumes after a kill during a long migration, with progress: the committed ones stay, the killed one runs again', async () => {
    const slow = await migrationsDir({
      '001-a.sql': 'CREATE TABLE a (x integer); INSERT INTO a VALUES (1);',
      '002-slow.sql': `CREATE TABLE slow (x integer); SELECT pg_sleep(4); -- ${schema}`,
      '003-c.sql': 'CREATE TABLE c (x integer);',
    });
    const child = spawn(process.execPath, [MIGRATOR, 'postgres', base, schema, slow.href], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    const seen: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      seen.push(line.replace(/"ms":[\d.]+/, '"ms":0'));
      if (line.includes('"phase":"start"') && line.includes('002-slow.sql')) break;
    }
    // Killed once the server is inside 002 (its CREATE TABLE done, sleeping), not before it was sent.
    const running = `SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%pg_sleep(4); -- ${schema}'`;
    for (let i = 0; i < 600 && (await sql(running)).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await sql(running)).toHaveLength(1);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(seen).toEqual([
      '{"phase":"start","name":"001-a.sql","index":1,"total":3,"upgrade":false}',
      '{"phase":"done","name":"001-a.sql","index":1,"total":3,"upgrade":false,"ms":0}',
      '{"phase":"start","name":"002-slow.sql","index":2,"total":3,"upgrade":false}',
    ]);
    // The killed client's server session runs its statement to the end (PostgreSQL notices a gone
    // client only when it next writes to it), then rolls back: the next migrator waits for its lock.
    const conn = createPostgresConnection({ url: base, schema, poolSize: 1 });
    try {
      const steps: string[] = [];
      await migratePostgres(
        conn,
        schema,
        await migrationsDir({
          '001-a.sql': 'not run again',
          '002-slow.sql': 'CREATE TABLE slow (x integer);',
          '003-c.sql': 'CREATE TABLE c (x integer);',
        }),
        Date.now,
        {
          onProgress: (s) => {
            if (s.phase === 'start') steps.push(`${s.name} ${s.index}/${s.total} ${s.upgrade}`);
          },
        },
      );
      expect(steps).toEqual(['002-slow.sql 1/2 true', '003-c.sql 2/2 true']);
      expect(
        (await sql<{ name: string }>(`SELECT name FROM ${schema}.schema_migrations ORDER BY version`)).map(
          (r) => r.name,
        ),
      ).toEqual(['001-a.sql', '002-slow.sql', '003-c.sql']);
      expect(await sql(`SELECT x FROM ${schema}.a`)).toEqual([{ x: 1 }]);
    } finally {
      await conn.pool.end();
    }
  }, 120_000);

  it('reports an unreachable server as migration_failed, without the password', async () => {
    const storage = openStorage('postgres://me:secret@127.0.0.1:1/touchline');
    opened.push(storage);
    const error = await storage.migrate().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'migration_failed', message: expect.stringContaining('127.0.0.1:1') });
    expect((error as Error).message).not.toContain('secret');
  });

  it('reports a query on a closed storage as query_failed naming the query', async () => {
    const storage = open();
    await storage.migrate();
    await storage.close();
    await expect(storage.findAccount('x')).rejects.toMatchObject({
      code: 'query_failed',
      message: expect.stringContaining('findAccount'),
    });
  });

  it('gives every pending row to exactly one of several concurrent claimers (FOR UPDATE SKIP LOCKED)', async () => {
    const claimers = [open(), open(), open()];
    await claimers[0]!.migrate();
    const account = await claimers[0]!.ensureAccount('acme', 1);
    await claimers[0]!.insertInbox(account.id, inboxItems('x', 300), 1);
    const claimed: number[] = [];
    await Promise.all(
      claimers.map(async (storage) => {
        for (;;) {
          const rows = await storage.claimInbox({ limit: 7, leaseMs: 60_000, now: 10 });
          if (rows.length === 0) return;
          claimed.push(...rows.map((r) => r.seq));
        }
      }),
    );
    expect(claimed).toHaveLength(300);
    expect(new Set(claimed).size).toBe(300);
  });

  it('keeps each test storage in its own schema', async () => {
    const one = await postgresFactory(base).open();
    const two = await postgresFactory(base).open();
    try {
      await one.storage.ensureAccount('only-in-one', 1);
      expect(await two.storage.findAccount('only-in-one')).toBeNull();
    } finally {
      await one.remove();
      await two.remove();
    }
  });
});
