// Runs the built `touchline repair-sessions` against sessions stored with the pre-fix rule, on both dialects.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Item } from '@touchline/core';
import { encodeStoredItem, processInboxRows } from '@touchline/server';
import type { Storage } from '@touchline/storage';
import { storageFactories, type TestStorage } from '../../../storage/src/test-support/storage-factories.js';
import { rawExec, rawRows } from '../../../storage/src/test-support/raw-sql.js';

const BIN = fileURLToPath(new URL('../../bin/touchline.mjs', import.meta.url));
const T0 = Date.now() - 3_600_000;

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const id = (n: number): string => `0190f7c2-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const ctx = (url: string, referrer: string | null, start: 'new_visitor' | null) => ({
  url,
  referrer,
  user_agent: 'UA',
  ip: null,
  utm: {},
  click_ids: (url.includes('gclid') ? { gclid: 'g' } : {}) as Record<string, string>,
  session_start: start,
});
/** A session's landing pageview (paid search) and its second pageview (referrer: the shop itself). */
function visit(n: number): [Item, Item] {
  const visitor = id(1000 + n);
  const session = id(2000 + n);
  return [
    {
      type: 'pageview',
      id: id(10 * n + 1),
      timestamp: new Date(T0 + n * 1000).toISOString(),
      visitor_id: visitor,
      session_id: session,
      context: ctx('https://shop.example/?gclid=g', 'https://www.google.com/', 'new_visitor'),
    },
    {
      type: 'pageview',
      id: id(10 * n + 2),
      timestamp: new Date(T0 + n * 1000 + 500).toISOString(),
      visitor_id: visitor,
      session_id: session,
      context: ctx('https://shop.example/cart', 'https://shop.example/', null),
    },
  ];
}

/** Stores items through the inbox and one worker pass, as a collector does. */
async function processItems(storage: Storage, accountId: string, items: Item[]): Promise<void> {
  await storage.insertInbox(
    accountId,
    items.map((item) => ({ itemId: item.id, type: item.type, payload: encodeStoredItem(item) })),
    Date.now(),
  );
  const rows = await storage.claimInbox({ limit: 100, leaseMs: 60_000, now: Date.now() });
  expect(await storage.applyProcessed(processInboxRows(rows))).toEqual({ kind: 'applied' });
}

/**
 * What the pre-fix code left behind: each session's second pageview processed first took the
 * landing, and the rows carry no landing rank (they predate migration 006 / 005).
 */
async function seedLegacy(db: TestStorage, account: string, visits: number[]): Promise<string> {
  const { id: accountId } = await db.storage.ensureAccount(account, 1);
  const pairs = visits.map(visit);
  await processItems(
    db.storage,
    accountId,
    pairs.map(([, second]) => second),
  );
  await rawExec(db, 'UPDATE sessions SET landing_rank = NULL, landing_at = NULL, landing_item = NULL');
  await processItems(
    db.storage,
    accountId,
    pairs.map(([landing]) => landing),
  );
  return accountId;
}

const channels = async (
  db: TestStorage,
): Promise<Array<{ id: string; channel: string; landing_url: string; ranked: number }>> =>
  rawRows(
    db,
    'SELECT id, channel, landing_url, CASE WHEN landing_rank IS NULL THEN 0 ELSE 1 END AS ranked FROM sessions ORDER BY id',
  );

describe.each(await storageFactories(process.env, import.meta.url))(
  'touchline repair-sessions on $dialect',
  (factory) => {
    let db: TestStorage | null = null;
    afterEach(async () => {
      await db?.remove();
      db = null;
    });

    it('re-derives legacy landings from the inbox, reports the channel moves, and leaves sessions with missing items alone', async () => {
      db = await factory.open();
      await seedLegacy(db, 'shop', [1, 2, 3]);
      await seedLegacy(db, 'other', [4]);
      // Session 3's landing pageview is gone from the inbox (as retention deletes rows): it cannot be repaired.
      await rawExec(db, `DELETE FROM inbox WHERE item_id = '${id(31)}'`);
      expect((await channels(db)).map((s) => s.channel)).toEqual(['direct', 'direct', 'direct', 'direct']);

      const dry = await cli('repair-sessions', '--db', db.url, '--account', 'shop', '--dry-run', '--json');
      expect(dry.code).toBe(0);
      expect(JSON.parse(dry.stdout)).toMatchObject({
        dry_run: true,
        legacySessions: 3,
        repairable: 2,
        changed: 2,
        incomplete: 1,
        repaired: 0,
        moves: [{ from: 'direct', to: 'paid_search', sessions: 2, changed: 2 }],
      });
      expect((await channels(db)).map((s) => s.channel)).toEqual(['direct', 'direct', 'direct', 'direct']);

      const real = await cli('repair-sessions', '--db', db.url, '--account', 'shop');
      expect(real.code).toBe(0);
      expect(real.stdout).toContain('2 were repaired; 2 got a different landing.');
      expect(real.stdout).toMatch(/direct\s+-> paid_search\s+2/);
      expect(real.stderr).toMatch(/read \d+ inbox rows/);
      expect(await channels(db)).toEqual([
        { id: id(2001), channel: 'paid_search', landing_url: 'https://shop.example/?gclid=g', ranked: 1 },
        { id: id(2002), channel: 'paid_search', landing_url: 'https://shop.example/?gclid=g', ranked: 1 },
        { id: id(2003), channel: 'direct', landing_url: 'https://shop.example/cart', ranked: 0 },
        { id: id(2004), channel: 'direct', landing_url: 'https://shop.example/cart', ranked: 0 }, // another account
      ]);

      // Every account, and again: only the unrepairable one stays legacy; the staging table is left empty.
      const all = await cli('repair-sessions', '--db', db.url, '--json');
      expect(JSON.parse(all.stdout)).toMatchObject({ legacySessions: 2, repaired: 1, incomplete: 1 });
      expect((await channels(db)).map((s) => s.channel)).toEqual([
        'paid_search',
        'paid_search',
        'direct',
        'paid_search',
      ]);
      expect(await rawRows(db, 'SELECT count(*) AS n FROM session_landing_repair')).toEqual([{ n: 0 }]);
    });

    it('says there is nothing to do on data processed with landing order, and refuses an unknown account', async () => {
      db = await factory.open();
      const { id: accountId } = await db.storage.ensureAccount('shop', 1);
      const [landing, second] = visit(1);
      await processItems(db.storage, accountId, [second]);
      await processItems(db.storage, accountId, [landing]);
      const r = await cli('repair-sessions', '--db', db.url);
      expect([r.code, r.stdout]).toEqual([0, 'Nothing to repair: every session already has a ranked landing.\n']);
      expect((await channels(db)).map((s) => s.channel)).toEqual(['paid_search']);
      const unknown = await cli('repair-sessions', '--db', db.url, '--account', 'nope');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('no account named "nope"');
    });
  },
);
