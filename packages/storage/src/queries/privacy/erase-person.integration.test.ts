// erasePerson on both dialects: the person's closure goes from every table, the rollups equal a rebuild from what is left, tombstones and audit hold no ids.
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, Storage } from '../../storage.js';
import { rawExec, rawRows } from '../../test-support/raw-sql.js';
import { generateTraffic } from '../../test-support/rollup-traffic.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';
import { tombstoneDigest } from './tombstone-digest.js';

const DAY = 86_400_000;
const BASE = Math.floor((Date.now() - 3 * DAY) / 60_000) * 60_000 + 17_123;
const ROLLUPS = [
  'SELECT account_key, hour, visitor_id, channel, landing_path, referrer_host, sessions FROM rollup_sessions ORDER BY 1, 2, 3, 4, 5, 6',
  'SELECT account_key, hour, events, conversions, revenue_units, revenue_micros FROM rollup_items ORDER BY 1, 2',
];

/** A compact inbox payload (stored-item-codec.ts layout 1) of an identify or a pageview. */
const identifyPayload = (visitor: string, user: string, at: number): string => JSON.stringify([1, at, visitor, null, null, user, {}]);
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
  afterEach(async () => { await db.remove(); });

  /** Generated traffic, with its first two visitors identified as one user and a third as someone else. */
  async function seed(seedNo: number): Promise<{ visitors: string[]; from: number; to: number }> {
    let traffic = generateTraffic(seedNo, acc.id, BASE);
    // The first seed from seedNo on whose traffic has at least three visitors.
    for (let n = seedNo + 1000; new Set(traffic.batches.flatMap((b) => b.visitors.map((v) => v.id))).size < 3; n += 1000) traffic = generateTraffic(n, acc.id, BASE);
    for (const batch of traffic.batches) expect(await storage.applyProcessed(batch)).toEqual({ kind: 'applied' });
    const visitors = [...new Set(traffic.batches.flatMap((b) => b.visitors.map((v) => v.id)))].sort();
    const [a, b, c] = visitors as [string, string, string];
    await storage.applyProcessed({
      visitors: [], sessions: [], events: [], conversions: [], done: [], dead: [],
      identities: [
        { accountId: acc.id, userId: 'erin@example.com', visitorId: a, timestamp: BASE, traits: '{"plan":"pro"}', traitsAt: BASE },
        { accountId: acc.id, userId: 'erin@example.com', visitorId: b, timestamp: BASE, traits: '{}', traitsAt: BASE },
        { accountId: acc.id, userId: 'otto@example.com', visitorId: c, timestamp: BASE, traits: '{}', traitsAt: BASE },
      ],
    });
    return { visitors, from: traffic.from, to: traffic.to };
  }

  it('erases every device linked to the visitor, subtracts them from the rollups exactly, and is idempotent', async () => {
    for (const seedNo of [21, 22, 23]) {
      acc = await storage.ensureAccount(`shop-${seedNo}`, 1);
      const { visitors } = await seed(seedNo);
      const [a, b, c] = visitors as [string, string, string];
      // Inbox rows: b's still pending (not processed yet), c's pending, and an identify of a new device as the erased user.
      await storage.insertInbox(acc.id, [
        { itemId: `i-b-${seedNo}`, type: 'pageview', payload: pageviewPayload(b, BASE) },
        { itemId: `i-c-${seedNo}`, type: 'pageview', payload: pageviewPayload(c, BASE) },
        { itemId: `i-d-${seedNo}`, type: 'identify', payload: identifyPayload('new-device', 'erin@example.com', BASE) },
      ], BASE);

      const result = await storage.erasePerson({ accountId: acc.id, subject: { kind: 'visitor', id: a }, requestedBy: 'test', now: BASE, tombstoneMs: DAY });
      expect(result).toMatchObject({ visitorIds: 3, userIds: 1, removed: { visitors: 2, identities: 2, inbox: 2 }, auditId: expect.any(String) });
      expect(result.removed.sessions).toBeGreaterThan(0);

      const left = await rawRows<{ n: number | string }>(db, `SELECT COUNT(*) AS n FROM (
        SELECT visitor_id FROM sessions UNION ALL SELECT visitor_id FROM events UNION ALL SELECT visitor_id FROM conversions
        UNION ALL SELECT id FROM visitors UNION ALL SELECT visitor_id FROM identities UNION ALL SELECT visitor_id FROM rollup_sessions) AS x
        WHERE visitor_id IN ('${a}', '${b}', 'new-device')`);
      expect(Number(left[0]?.n)).toBe(0);
      const inbox = await rawRows<{ item_id: string }>(db, 'SELECT item_id FROM inbox ORDER BY item_id');
      expect(inbox.map((r) => r.item_id)).toContain(`i-c-${seedNo}`);
      expect(inbox.map((r) => r.item_id).filter((id) => id.endsWith(`-${seedNo}`))).toEqual([`i-c-${seedNo}`]);
      expect(await storage.visitor(acc.id, c)).not.toBeNull();

      const again = await storage.erasePerson({ accountId: acc.id, subject: { kind: 'visitor', id: a }, requestedBy: 'test', now: BASE + 1, tombstoneMs: DAY });
      expect(again.removed).toEqual({ visitors: 0, sessions: 0, events: 0, conversions: 0, identities: 0, inbox: 0, rollupSessions: 0, rollupHours: 0 });
    }
    // The rollups equal what the migration builds from the rows that are left: the subtraction was exact.
    const live = await Promise.all(ROLLUPS.map((sql) => rawRows(db, sql)));
    const file = factory.dialect === 'sqlite' ? '../../../migrations/sqlite/009-rollups.sql' : '../../../migrations/postgres/008-rollups.sql';
    const migration = await readFile(new URL(file, import.meta.url), 'utf8');
    const backfill = migration.slice(migration.indexOf('INSERT INTO rollup_sessions'), migration.indexOf('INSERT INTO session_spans'));
    await rawExec(db, `DELETE FROM rollup_sessions; DELETE FROM rollup_items; ${backfill}`);
    expect(await Promise.all(ROLLUPS.map((sql) => rawRows(db, sql)))).toEqual(live);
  }, 120_000);

  it('keeps tombstones as digests only, answers them until they expire, and audits without ids', async () => {
    const { visitors } = await seed(31);
    const [a, b] = visitors as [string, string];
    await storage.erasePerson({ accountId: acc.id, subject: { kind: 'user', id: 'erin@example.com' }, requestedBy: 'key:k1', now: BASE, tombstoneMs: DAY });
    const digests = [tombstoneDigest(acc.id, 'visitor', a), tombstoneDigest(acc.id, 'user', 'erin@example.com'), tombstoneDigest(acc.id, 'visitor', 'someone-else')];
    expect(await storage.findTombstones(new Map([[acc.id, digests]]), BASE + 1)).toEqual(new Set(digests.slice(0, 2)));
    expect(await storage.findTombstones(null, BASE + 1)).toEqual(new Set());
    expect(await storage.findTombstones(new Map([[acc.id, digests]]), BASE + DAY)).toBeNull();
    const stored = JSON.stringify(await rawRows(db, 'SELECT * FROM erasure_tombstones')) + JSON.stringify(await rawRows(db, 'SELECT * FROM erasure_audit'));
    for (const id of [a, b, 'erin@example.com']) expect(stored.includes(id)).toBe(false);
    const [audit] = await rawRows<{ subject_kind: string; requested_by: string; counts: string }>(db, 'SELECT subject_kind, requested_by, counts FROM erasure_audit');
    expect(audit).toMatchObject({ subject_kind: 'user', requested_by: 'key:k1' });
    expect(JSON.parse(audit?.counts ?? '{}')).toMatchObject({ visitors: 2, identities: 2 });
  });

  it('does nothing for an account that does not exist', async () => {
    const result = await storage.erasePerson({ accountId: 'no-such-account', subject: { kind: 'visitor', id: 'v' }, requestedBy: 'test', now: BASE, tombstoneMs: DAY });
    expect(result).toMatchObject({ auditId: null, visitorIds: 0, userIds: 0 });
  });
});
