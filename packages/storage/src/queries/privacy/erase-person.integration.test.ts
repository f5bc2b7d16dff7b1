// erasePerson on both dialects: the person's closure goes from every table and every stored byte, the read model equals the raw computation for the rest, tombstones and audit hold no ids.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, ProcessedBatch, Storage } from '../../storage.js';
import { expectSameAnswers } from '../../test-support/raw-reports/expect-same-answers.js';
import { openRawConnection } from '../../test-support/raw-reports/raw-connection.js';
import { personPathDaySums } from '../../test-support/person-path-sums.js';
import { rawRows } from '../../test-support/raw-sql.js';
import { readModelRows, rebuildReadModel } from '../../test-support/rebuild-read-model.js';
import { generateTraffic } from '../../test-support/rollup-traffic.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';
import { storedText, whereStored } from '../../test-support/stored-text.js';
import { tombstoneDigest } from './tombstone-digest.js';

const DAY = 86_400_000;
const BASE = Math.floor((Date.now() - 3 * DAY) / 60_000) * 60_000 + 17_123;

/** A compact inbox payload (stored-item-codec.ts layout 1) of an identify or a pageview. */
const identifyPayload = (visitor: string, user: string, at: number): string =>
  JSON.stringify([1, at, visitor, null, null, user, {}]);
const pageviewPayload = (visitor: string, at: number): string => JSON.stringify([1, at, visitor, null, null]);

describe.each(await storageFactories(process.env, import.meta.url))('erasePerson on $dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  let acc: Account;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
    acc = await storage.ensureAccount('shop', 1);
  });
  afterEach(async () => {
    await db.remove();
  });

  /**
   * Generated traffic (visitor ids `<uuid>-v<n>`, each session and item id starting with its visitor's
   * id), with its first two visitors identified as one user (a person on two devices) and a third as
   * someone else. The user ids are the account's own, so a scan can tell them apart.
   */
  async function seed(
    seedNo: number,
  ): Promise<{ visitors: string[]; ghosts: string[]; users: [string, string]; from: number; to: number }> {
    const prefix = `${randomUUID()}-`;
    let traffic = generateTraffic(seedNo, acc.id, BASE, prefix);
    // The traffic's browsers (`<prefix>v<n>`), not the racing ghosts (`<prefix>v<n>a`, `b`) that
    // aliases fold into them: the first seed from seedNo on with at least three.
    const browsers = (t: typeof traffic): string[] =>
      [...new Set(t.batches.flatMap((b) => b.visitors.map((v) => v.id)))].filter((id) => /v\d+$/.test(id)).sort();
    for (let n = seedNo + 1000; browsers(traffic).length < 3; n += 1000)
      traffic = generateTraffic(n, acc.id, BASE, prefix);
    for (const batch of traffic.batches) expect(await storage.applyProcessed(batch)).toEqual({ kind: 'applied' });
    const visitors = browsers(traffic);
    const [a, b, c] = visitors as [string, string, string];
    const users: [string, string] = [`erin-${prefix}@example.com`, `otto-${prefix}@example.com`];
    await storage.applyProcessed({
      visitors: [],
      sessions: [],
      events: [],
      conversions: [],
      done: [],
      dead: [],
      aliases: [],
      identities: [
        {
          accountId: acc.id,
          userId: users[0],
          visitorId: a,
          timestamp: BASE,
          traits: '{"plan":"pro"}',
          traitsAt: BASE,
        },
        { accountId: acc.id, userId: users[0], visitorId: b, timestamp: BASE, traits: '{}', traitsAt: BASE },
        { accountId: acc.id, userId: users[1], visitorId: c, timestamp: BASE, traits: '{}', traitsAt: BASE },
      ],
    });
    const ghosts = [...new Set(traffic.batches.flatMap((b) => b.visitors.map((v) => v.id)))].filter(
      (id) => !visitors.includes(id),
    );
    return { visitors, ghosts, users, from: traffic.from, to: traffic.to };
  }

  it('erases every device linked to the visitor, leaves no byte of their ids, moves the read model exactly, and is idempotent', async () => {
    for (const seedNo of [21, 22, 23]) {
      acc = await storage.ensureAccount(`shop-${seedNo}`, 1);
      const { visitors, ghosts, users, from, to } = await seed(seedNo);
      const [a, b, c] = visitors as [string, string, string];
      // The person's racing ghosts, aliased into a or b, are the same browsers (person-closure.ts).
      const aliased = ghosts.filter((g) => [`${a}a`, `${a}b`, `${b}a`, `${b}b`].includes(g)).length;
      const newDevice = `${a}-new-device`;
      // Inbox rows: b's still pending (not processed yet), c's pending, and an identify of a new device as the erased user.
      await storage.insertInbox(
        acc.id,
        [
          { itemId: `i-b-${seedNo}`, type: 'pageview', payload: pageviewPayload(b, BASE) },
          { itemId: `i-c-${seedNo}`, type: 'pageview', payload: pageviewPayload(c, BASE) },
          { itemId: `i-d-${seedNo}`, type: 'identify', payload: identifyPayload(newDevice, users[0], BASE) },
        ],
        BASE,
      );

      // The refresher builds the person paths of a and b (one user) first: erasure deletes person
      // rows, and their per-day sums (kept by triggers) must follow.
      while (!(await storage.refreshJourneys({ limit: 50 })).done);
      expect((await personPathDaySums(db)).summed[0], 'the person of a and b has path rows').not.toEqual([]);

      const result = await storage.erasePerson({
        accountId: acc.id,
        subject: { kind: 'visitor', id: a },
        requestedBy: 'test',
        now: BASE,
        tombstoneMs: DAY,
      });
      const sums = await personPathDaySums(db);
      expect(sums.stored, 'person_path_day_* are the sums of the person rows left').toEqual(sums.summed);
      expect(result).toMatchObject({
        visitorIds: 3 + aliased,
        userIds: 1,
        removed: { visitors: 2, identities: 2, inbox: 2 },
        auditId: expect.any(String),
      });
      expect(result.removed.sessions).toBeGreaterThan(0);
      expect(result.removed.rollupSessions).toBe(result.removed.sessions);
      if (factory.dialect === 'sqlite') expect(result.walEmptied).toBe(true);

      // No id of the person in any stored byte (SQLite: file and WAL; PostgreSQL: every table, the
      // read model's visitor_hours included); the scan does see the people who stay.
      const stored = await storedText(factory.dialect, db.url);
      for (const id of [a, b, newDevice, users[0]])
        expect(
          stored.includes(id) ? await whereStored(factory.dialect, db.url, id) : [],
          `${id} left in storage`,
        ).toEqual([]);
      for (const id of [c, users[1]]) expect(stored.includes(id), `the scan must see ${id}`).toBe(true);
      const inbox = await rawRows<{ item_id: string }>(db, 'SELECT item_id FROM inbox ORDER BY item_id');
      expect(inbox.map((r) => r.item_id).filter((id) => id.endsWith(`-${seedNo}`))).toEqual([`i-c-${seedNo}`]);
      expect(await storage.visitor(acc.id, c)).not.toBeNull();

      // Every report on what remains equals the raw computation over the rows that remain.
      const raw = openRawConnection(db);
      try {
        await expectSameAnswers(storage, raw, acc.id, seedNo, from, to);
      } finally {
        await raw.close();
      }

      const again = await storage.erasePerson({
        accountId: acc.id,
        subject: { kind: 'visitor', id: a },
        requestedBy: 'test',
        now: BASE + 1,
        tombstoneMs: DAY,
      });
      expect(again.removed).toEqual({
        visitors: 0,
        sessions: 0,
        events: 0,
        conversions: 0,
        identities: 0,
        inbox: 0,
        rollupSessions: 0,
        rollupHours: 0,
      });
    }
    // Row for row, the read model equals what the migrations build from the rows that are left.
    const live = await readModelRows(db);
    await rebuildReadModel(db);
    expect(await readModelRows(db)).toEqual(live);
  }, 300_000);

  it('keeps tombstones as digests only, answers them until they expire, and audits without ids', async () => {
    const { visitors, users } = await seed(31);
    const [a, b] = visitors as [string, string];
    await storage.erasePerson({
      accountId: acc.id,
      subject: { kind: 'user', id: users[0] },
      requestedBy: 'key:k1',
      now: BASE,
      tombstoneMs: DAY,
    });
    const digests = [
      tombstoneDigest(acc.id, 'visitor', a),
      tombstoneDigest(acc.id, 'user', users[0]),
      tombstoneDigest(acc.id, 'visitor', 'someone-else'),
    ];
    expect(await storage.findTombstones(new Map([[acc.id, digests]]), BASE + 1)).toEqual(new Set(digests.slice(0, 2)));
    expect(await storage.findTombstones(null, BASE + 1)).toEqual(new Set());
    expect(await storage.findTombstones(new Map([[acc.id, digests]]), BASE + DAY)).toBeNull();
    const stored =
      JSON.stringify(await rawRows(db, 'SELECT * FROM erasure_tombstones')) +
      JSON.stringify(await rawRows(db, 'SELECT * FROM erasure_audit'));
    for (const id of [a, b, users[0]]) expect(stored.includes(id)).toBe(false);
    const [audit] = await rawRows<{ subject_kind: string; requested_by: string; counts: string }>(
      db,
      'SELECT subject_kind, requested_by, counts FROM erasure_audit',
    );
    expect(audit).toMatchObject({ subject_kind: 'user', requested_by: 'key:k1' });
    expect(JSON.parse(audit?.counts ?? '{}')).toMatchObject({ visitors: 2, identities: 2 });
  });

  /** A late pass of one visitor: its visitor, one session and one pageview at BASE + 1 h (no inbox rows). */
  const latePass = (visitorId: string, extra: Partial<ProcessedBatch> = {}): ProcessedBatch => {
    const at = BASE + 3_600_000;
    return {
      visitors: [{ accountId: acc.id, id: visitorId, firstSeenAt: at, lastSeenAt: at }],
      sessions: [
        {
          accountId: acc.id,
          id: `${visitorId}-late`,
          visitorId,
          startedAt: at,
          lastSeenAt: at,
          eventCount: 1,
          pageviewCount: 1,
          landing: null,
        },
      ],
      events: [
        {
          accountId: acc.id,
          id: `${visitorId}-late-e`,
          type: 'pageview',
          name: null,
          visitorId,
          sessionId: `${visitorId}-late`,
          timestamp: at,
          url: null,
          properties: '{}',
        },
      ],
      conversions: [],
      identities: [],
      done: [],
      dead: [],
      aliases: [],
      ...extra,
    };
  };

  it('writes nothing of a pass that checked the tombstones before an erasure committed (tombstoned), and everything of other people', async () => {
    const { visitors, users } = await seed(41);
    const [a, , c] = visitors as [string, string, string];
    await storage.erasePerson({
      accountId: acc.id,
      subject: { kind: 'user', id: users[0] },
      requestedBy: 'test',
      now: BASE,
      tombstoneMs: DAY,
    });
    const statsBefore = await storage.stats(acc.id, BASE - DAY, BASE + 4 * DAY);
    // The worker checked at BASE + 1 and found nothing (the erasure was not committed yet); storage checks again.
    expect(await storage.applyProcessed(latePass(a, { tombstonesAt: BASE + 1 }))).toEqual({ kind: 'tombstoned' });
    const identify = {
      accountId: acc.id,
      userId: users[0],
      visitorId: `${c}-fresh`,
      timestamp: BASE,
      traits: '{}',
      traitsAt: BASE,
    };
    expect(
      await storage.applyProcessed({ ...latePass(`${c}-fresh`), identities: [identify], tombstonesAt: BASE + 1 }),
    ).toEqual({ kind: 'tombstoned' });
    expect(await storage.visitor(acc.id, a)).toBeNull();
    expect(await storage.stats(acc.id, BASE - DAY, BASE + 4 * DAY)).toEqual(statsBefore);
    // Past the tombstones' lifetime, or for someone else, the same pass is written.
    expect(await storage.applyProcessed(latePass(c, { tombstonesAt: BASE + 1 }))).toEqual({ kind: 'applied' });
    expect(await storage.applyProcessed(latePass(a, { tombstonesAt: BASE + DAY }))).toEqual({ kind: 'applied' });
    expect(await storage.visitor(acc.id, a)).not.toBeNull();
  });

  it.skipIf(factory.dialect !== 'postgres')(
    'waits for a worker pass of the account in flight before it reads anything (the erasure lock)',
    async () => {
      const { visitors } = await seed(42);
      const url = new URL(db.url);
      const schema = url.searchParams.get('schema') ?? 'public';
      url.searchParams.delete('schema');
      const pass = new pg.Client({ connectionString: url.toString(), options: `-c search_path=${schema}` });
      await pass.connect();
      try {
        // A worker pass's transaction holding the account's erasure lock in shared mode, as applyProcessed takes it.
        await pass.query('BEGIN');
        await pass.query('SELECT pg_advisory_xact_lock_shared(20, hashtext($1))', [acc.id]);
        let settled = false;
        const erasure = storage
          .erasePerson({
            accountId: acc.id,
            subject: { kind: 'visitor', id: visitors[0] as string },
            requestedBy: 'test',
            now: BASE,
            tombstoneMs: DAY,
          })
          .finally(() => {
            settled = true;
          });
        // Until the erasure is seen waiting for that lock (it must never finish while the pass runs).
        for (let waiting = false; !waiting; ) {
          expect(settled, 'the erasure finished while a worker pass of the account was running').toBe(false);
          const rows = await pass.query(
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 20 AND NOT granted",
          );
          waiting = rows.rows.length > 0;
          if (!waiting) await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await pass.query('COMMIT');
        expect((await erasure).removed.visitors).toBe(2);
      } finally {
        await pass.end();
      }
    },
  );

  it("with a cookieless matcher, erases and exports the pending inbox items whose computed visitor is the person's (stored with the nil id)", async () => {
    // The server's matcher recomputes the daily hash; here a stand-in maps each browser marker to its visitor.
    const cookieless = (row: { payload: string }): string | null =>
      row.payload.includes('browser-a') ? 'v-a' : row.payload.includes('browser-b') ? 'v-b' : null;
    const nil = '00000000-0000-0000-0000-000000000000';
    const payload = (browser: string, at: number): string => JSON.stringify([1, at, nil, nil, { user_agent: browser }]);
    await storage.insertInbox(
      acc.id,
      [
        { itemId: 'ck-a1', type: 'pageview', payload: payload('browser-a', BASE) },
        { itemId: 'ck-a2', type: 'pageview', payload: payload('browser-a', BASE + 1000) },
        { itemId: 'ck-b1', type: 'pageview', payload: payload('browser-b', BASE) },
      ],
      BASE,
    );
    const exported = await storage.exportPerson(acc.id, { kind: 'visitor', id: 'v-a' }, cookieless);
    expect(exported?.inbox.map((r) => [r.itemId, r.state])).toEqual([
      ['ck-a1', 'pending'],
      ['ck-a2', 'pending'],
    ]);
    expect((await storage.exportPerson(acc.id, { kind: 'visitor', id: 'v-a' }))?.inbox).toEqual([]);
    const result = await storage.erasePerson({
      accountId: acc.id,
      subject: { kind: 'visitor', id: 'v-a' },
      requestedBy: 'test',
      now: BASE,
      tombstoneMs: DAY,
      // As the server does it, minus the thread: the matcher runs in cookielessInboxSeqs' own read transactions.
      cookielessItems: (q) => storage.cookielessInboxSeqs(q, cookieless),
    });
    expect(result.removed.inbox).toBe(2);
    expect(
      (await rawRows<{ item_id: string }>(db, 'SELECT item_id FROM inbox ORDER BY item_id')).map((r) => r.item_id),
    ).toEqual(['ck-b1']);
    expect(
      (await rawRows<{ n: number }>(db, 'SELECT count(*) AS n FROM inbox_pending')).map((r) => Number(r.n)),
    ).toEqual([1]);
  });

  it('does nothing for an account that does not exist', async () => {
    const result = await storage.erasePerson({
      accountId: 'no-such-account',
      subject: { kind: 'visitor', id: 'v' },
      requestedBy: 'test',
      now: BASE,
      tombstoneMs: DAY,
    });
    expect(result).toMatchObject({ auditId: null, visitorIds: 0, userIds: 0 });
  });
});
