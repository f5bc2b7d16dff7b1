// PostgreSQL: an alias pass and a pass storing the ghost's items, forced to overlap, still leave no ghost row and an exact read model.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, Storage } from '../../storage.js';
import { rawRowsOf } from '../../test-support/raw-sql.js';
import { rawStats } from '../../test-support/raw-reports/raw-stats.js';
import { openRawConnection } from '../../test-support/raw-reports/raw-connection.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';
import { batch, session } from '../../test-support/temp-storage.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-01T10:00:00.000Z');
const CANONICAL = 'c-visitor';
const postgres = (await storageFactories(process.env, import.meta.url)).find((f) => f.dialect === 'postgres');

/** A client on the test's schema, held open across the passes (it holds an advisory lock). */
async function schemaClient(url: string): Promise<pg.Client> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: parsed.toString(), options: `-c search_path=${schema}` });
  await client.connect();
  return client;
}

/** Sessions waiting for one advisory lock (the server is shared by parallel test files: only this key counts). */
const WAITING = `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
  AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/** The key session-shapes.ts's PG_LOCK takes for a visitor. */
const LOCK_KEY = `hashtextextended($1::integer || '/' || $2::text, 7)`;

describe.skipIf(postgres === undefined)('visitor aliases racing a ghost pass on postgres', () => {
  let db: TestStorage;
  let storage: Storage;
  let acc: Account;
  let holder: pg.Client;
  beforeEach(async () => {
    db = await (postgres as NonNullable<typeof postgres>).open();
    storage = db.storage;
    acc = await storage.ensureAccount('acme', 1);
    holder = await schemaClient(db.url);
  });
  afterEach(async () => {
    await holder.end();
    await db.remove();
  });

  /**
   * The interleaving that needs the visitor locks taken before the alias pass lists the ghost's
   * sessions (apply-aliases.ts): the alias pass has recorded its alias and is held before its move;
   * meanwhile a pass stores a new session of the ghost and commits without seeing the (uncommitted)
   * alias. The alias pass must then move that session too, rollups included. Before the fix it
   * listed the ghost's sessions first and moved the new one by SQL without its rollup deltas.
   */
  it('moves a ghost session committed while the alias pass waited, and its rollups with it', async () => {
    const key = (await holder.query<{ key: number }>('SELECT key FROM accounts WHERE id = $1', [acc.id])).rows[0]!.key;
    const lockOf = async (visitorId: string): Promise<bigint> =>
      BigInt((await holder.query<{ k: string }>(`SELECT ${LOCK_KEY} AS k`, [key, visitorId])).rows[0]!.k);
    // A ghost whose lock sorts after the canonical's: a pass locking both waits on the canonical's
    // first, without holding the ghost's, so the ghost's own pass runs meanwhile.
    const canonicalLock = await lockOf(CANONICAL);
    let ghost = '';
    for (let n = 0; ghost === ''; n++) if ((await lockOf(`g-${n}`)) > canonicalLock) ghost = `g-${n}`;

    const visit = (visitorId: string, at: number) => ({
      accountId: acc.id,
      id: visitorId,
      firstSeenAt: at,
      lastSeenAt: at,
    });
    const landing = {
      landingUrl: 'https://shop.example/b',
      landingHost: 'shop.example',
      referrer: 'https://news.example/',
      channel: 'referral',
    };
    await storage.applyProcessed(
      batch({
        visitors: [visit(CANONICAL, T0), visit(ghost, T0 + 1)],
        sessions: [
          session(acc.id, {
            id: 'c-s1',
            visitorId: CANONICAL,
            startedAt: T0,
            lastSeenAt: T0,
            eventCount: 1,
            pageviewCount: 1,
            landingUrl: 'https://shop.example/a',
          }),
          session(acc.id, {
            id: 'g-s1',
            visitorId: ghost,
            startedAt: T0 + 1,
            lastSeenAt: T0 + 1,
            eventCount: 1,
            pageviewCount: 1,
            ...landing,
          }),
        ],
      }),
    );

    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1)', [canonicalLock.toString()]);
    const aliasPass = storage.applyProcessed(
      batch({
        aliases: [
          {
            accountId: acc.id,
            ghostId: ghost,
            canonicalId: CANONICAL,
            ghostSessionId: 'g-s1',
            canonicalSessionId: 'c-s1',
          },
        ],
      }),
    );
    // Wait until the alias pass is blocked on the canonical's lock (pg_locks shows a bigint key as two oids).
    const unsigned = BigInt.asUintN(64, canonicalLock);
    for (let waited = 0; ; waited += 20) {
      const waiting = await holder.query<{ n: string }>(WAITING, [
        (unsigned >> 32n).toString(),
        (unsigned & 0xffffffffn).toString(),
      ]);
      if (Number(waiting.rows[0]!.n) > 0) break;
      if (waited > 20_000) throw new Error('the alias pass never waited on the canonical visitor lock');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The ghost's second session (two hours later, its own hour) is stored and committed meanwhile.
    const later = T0 + 2 * HOUR;
    expect(
      await storage.applyProcessed(
        batch({
          visitors: [visit(ghost, later)],
          sessions: [
            session(acc.id, {
              id: 'g-s2',
              visitorId: ghost,
              startedAt: later,
              lastSeenAt: later,
              eventCount: 1,
              pageviewCount: 1,
              ...landing,
            }),
          ],
        }),
      ),
    ).toEqual({ kind: 'applied' });
    await holder.query('COMMIT');
    expect(await aliasPass).toEqual({ kind: 'applied' });

    const of = `account_key = ${key}`;
    const [sessions, hours] = await rawRowsOf(db, [
      `SELECT id, visitor_id FROM sessions WHERE ${of} ORDER BY id`,
      `SELECT DISTINCT visitor_id FROM visitor_hours WHERE ${of} ORDER BY visitor_id`,
    ]);
    expect(sessions).toEqual([
      { id: 'c-s1', visitor_id: CANONICAL },
      { id: 'g-s2', visitor_id: CANONICAL },
    ]);
    expect(hours).toEqual([{ visitor_id: CANONICAL }]);
    const raw = openRawConnection(db);
    try {
      for (const [from, to] of [
        [T0 - HOUR, T0 + 4 * HOUR],
        [T0 + 2 * HOUR, T0 + 3 * HOUR],
      ] as const) {
        expect(await storage.stats(acc.id, from, to)).toEqual(await rawStats(raw.conn, acc.id, from, to));
      }
      expect(await storage.stats(acc.id, T0 - HOUR, T0 + 4 * HOUR)).toMatchObject({ visitors: 1, sessions: 2 });
    } finally {
      await raw.close();
    }
  }, 60_000);
});
