// The PostgreSQL dialect's lifecycle: concurrent migrations under the advisory lock, transactional failures, concurrent claims.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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
    const ledger = await sql<{ version: number; name: string }>(`SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`);
    expect(ledger).toEqual([{ version: 1, name: '001-initial.sql' }, { version: 2, name: '002-sdk-health.sql' }, { version: 3, name: '003-dashboard-admin.sql' }, { version: 4, name: '004-sessions-keyed-by-visitor.sql' }, { version: 5, name: '005-order-independent-merge.sql' }, { version: 6, name: '006-sdk-clock-offset.sql' }, { version: 7, name: '007-ad-spend.sql' }, { version: 8, name: '008-rollups.sql' }, { version: 9, name: '009-visitor-gaps.sql' }, { version: 11, name: '011-visitor-aliases.sql' }, { version: 12, name: '012-erasure.sql' }, { version: 13, name: '013-goals-and-funnels.sql' }, { version: 14, name: '014-utm-dimensions.sql' }, { version: 15, name: '015-journeys.sql' }, { version: 16, name: '016-conversion-uploads.sql' }, { version: 19, name: '019-cookieless-secrets.sql' }, { version: 20, name: '020-dashboard-state.sql' }, { version: 21, name: '021-dashboard-users.sql' }]);
    const account = await starters[0]!.ensureAccount('acme', 1);
    const reopened = open();
    await reopened.migrate();
    expect(await reopened.findAccount('acme')).toEqual(account);
  });

  it('rolls a failing pass back entirely and names the file that failed', async () => {
    const conn = createPostgresConnection({ url: base, schema, poolSize: 1 });
    try {
      const dir = await migrationsDir({ '001-ok.sql': 'CREATE TABLE ok (x integer);', '002-bad.sql': 'CREATE TABLE half (x integer); INSERT INTO nope VALUES (1);' });
      const error = await migratePostgres(conn, schema, dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ code: 'migration_failed', message: expect.stringContaining('002-bad.sql') });
      expect(await sql('SELECT nspname FROM pg_namespace WHERE nspname = $1', [schema])).toEqual([]);
      const good = await migrationsDir({ '001-ok.sql': 'CREATE TABLE ok (x integer);', '002-b.sql': 'CREATE TABLE b (y integer);' });
      await migratePostgres(conn, schema, good);
      await migratePostgres(conn, schema, good);
      expect((await sql<{ name: string }>(`SELECT name FROM ${schema}.schema_migrations ORDER BY version`)).map((r) => r.name)).toEqual(['001-ok.sql', '002-b.sql']);
    } finally {
      await conn.pool.end();
    }
  });

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
    await expect(storage.findAccount('x')).rejects.toMatchObject({ code: 'query_failed', message: expect.stringContaining('findAccount') });
  });

  it('gives every pending row to exactly one of several concurrent claimers (FOR UPDATE SKIP LOCKED)', async () => {
    const claimers = [open(), open(), open()];
    await claimers[0]!.migrate();
    const account = await claimers[0]!.ensureAccount('acme', 1);
    await claimers[0]!.insertInbox(account.id, inboxItems('x', 300), 1);
    const claimed: number[] = [];
    await Promise.all(claimers.map(async (storage) => {
      for (;;) {
        const rows = await storage.claimInbox({ limit: 7, leaseMs: 60_000, now: 10 });
        if (rows.length === 0) return;
        claimed.push(...rows.map((r) => r.seq));
      }
    }));
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
