// repairSessions paging: one-row pages and one-session steps end exactly as one big page and step.
import { afterEach, describe, expect, it } from 'vitest';
import type { Item } from '@touchline/core';
import { storageFactories, type TestStorage } from '../../../storage/src/test-support/storage-factories.js';
import { rawExec, rawRows } from '../../../storage/src/test-support/raw-sql.js';
import { processInboxRows } from './process-inbox-rows.js';
import { repairSessions, type RepairProgress } from './repair-sessions.js';
import { encodeStoredItem } from './stored-item-codec.js';

const T0 = Date.now() - 3_600_000;
const id = (n: number): string => `0190f7c2-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const page = (n: number, path: string, referrer: string | null, start: 'new_visitor' | null, at: number): Item => ({
  type: 'pageview',
  id: id(n),
  timestamp: new Date(T0 + at).toISOString(),
  visitor_id: id(1000 + (n % 7)),
  session_id: id(2000 + (n % 7)),
  context: {
    url: `https://shop.example${path}`,
    referrer,
    user_agent: 'UA',
    ip: null,
    utm: path.includes('utm_') ? { utm_source: 'news', utm_medium: 'email' } : {},
    click_ids: {},
    session_start: start,
  },
});

describe.each(await storageFactories(process.env, import.meta.url))('repairSessions on $dialect', (factory) => {
  let db: TestStorage | null = null;
  afterEach(async () => {
    await db?.remove();
    db = null;
  });

  async function legacyDatabase(): Promise<TestStorage> {
    const d = await factory.open();
    const { id: accountId } = await d.storage.ensureAccount('shop', 1);
    // 7 sessions; each session's internal pageviews are processed first, then its landing (from a newsletter).
    const passes = [
      Array.from({ length: 14 }, (_, i) => page(100 + i, `/p${i}`, 'https://shop.example/', null, 1000 + i)),
      Array.from({ length: 7 }, (_, i) => page(200 + i, '/?utm_source=news&utm_medium=email', null, 'new_visitor', i)),
    ];
    for (const [n, items] of passes.entries()) {
      await d.storage.insertInbox(
        accountId,
        items.map((item) => ({ itemId: item.id, type: item.type, payload: encodeStoredItem(item) })),
        Date.now(),
      );
      const rows = await d.storage.claimInbox({ limit: 100, leaseMs: 60_000, now: Date.now() });
      await d.storage.applyProcessed(processInboxRows(rows));
      if (n === 0) await rawExec(d, 'UPDATE sessions SET landing_rank = NULL, landing_at = NULL, landing_item = NULL');
    }
    return d;
  }

  it('repairs every session with one-row pages and one-session steps, reporting progress', async () => {
    db = await legacyDatabase();
    // The landing url stays legacy (unranked): the live merge kept the first landing, as before the fix.
    expect(
      await rawRows(db, "SELECT count(*) AS n FROM sessions WHERE channel = 'direct' AND landing_rank IS NULL"),
    ).toEqual([{ n: 7 }]);
    const progress: RepairProgress[] = [];
    const result = await repairSessions(db.storage, {
      accountId: null,
      dryRun: false,
      pageRows: 1,
      stepSessions: 1,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({
      legacySessions: 7,
      rowsRead: 21,
      repaired: 7,
      repairable: 7,
      changed: 7,
      incomplete: 0,
      moves: [{ from: 'direct', to: 'email', sessions: 7, changed: 7 }],
    });
    expect(progress.filter((p) => p.phase === 'read')).toHaveLength(22); // 21 full pages and the empty last one
    expect(progress.at(-1)).toEqual({ phase: 'finish', repaired: 7 });
    expect(
      await rawRows(
        db,
        "SELECT count(*) AS n FROM sessions WHERE channel = 'email' AND landing_rank = 3 AND landing_url LIKE '%utm_source=news%'",
      ),
    ).toEqual([{ n: 7 }]);
  });
});
