// Issue 16 item 1 at its root: a connection dropped while a transaction holds it must fail that transaction, never crash the process.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { storageFactories, testPgUrl } from '../test-support/storage-factories.js';
import { createPostgresConnection } from './postgres-connection.js';
import { runQuery } from './dialects.js';

const postgres = (await storageFactories(process.env, import.meta.url)).find((f) => f.dialect === 'postgres');
const base = testPgUrl();

/** Terminates one backend from a connection of its own; resolves once the server has done it. */
async function terminate(pid: number): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await client.end();
  }
}

describe.skipIf(postgres === undefined)('postgres connection loss', () => {
  it('a backend terminated while a transaction holds it fails that transaction as unavailable, and the next query reconnects', async () => {
    const conn = createPostgresConnection({ url: base, poolSize: 1 });
    try {
      const failed = runQuery(conn, 'test', {
        sqlite: () => {
          throw new Error('postgres only');
        },
        postgres: (c) =>
          c.transaction(async (client) => {
            const [row] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
            const lost = new Promise((resolve) => (client as pg.PoolClient).once('end', resolve));
            // The client is idle inside the transaction: the server's FATAL arrives as an 'error'
            // event on it, with no query to deliver it to (the crash of issue 16).
            await terminate(row!.pid);
            await lost;
            return client.query('SELECT 1');
          }),
      });
      await expect(failed).rejects.toMatchObject({ name: 'StorageError', code: 'unavailable' });
      expect(await conn.rows<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await conn.pool.end();
    }
  });

  // pg-pool hands a released client to the next waiter with no listener of its own until the waiter's
  // continuation runs; an 'error' emitted in that gap was unheard and crashed the process. Here the
  // gap is opened by hand: a client taken with pool.connect() (as the hand-over gives it) meets an
  // 'error' before anyone listens.
  it('no pooled client is ever without an error listener, even in the hand-over between two holders', async () => {
    const conn = createPostgresConnection({ url: base, poolSize: 1 });
    try {
      await conn.rows('SELECT 1');
      const client = await conn.pool.connect();
      try {
        expect(() =>
          client.emit('error', new Error('terminating connection due to administrator command')),
        ).not.toThrow();
      } finally {
        client.release(true);
      }
      expect(await conn.rows<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await conn.pool.end();
    }
  });
});
