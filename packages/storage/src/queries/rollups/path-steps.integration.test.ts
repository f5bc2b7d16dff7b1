// Differential test of Markov's path-step read model on both dialects: the stored counts equal the counts of the stored sessions after any order, batching, replay, aliases and retention, and a window's steps read through them equal the steps of the window's raw sessions.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../storage.js';
import { rawRowsOf } from '../../test-support/raw-sql.js';
import { generateTraffic, prng } from '../../test-support/rollup-traffic.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** fast-check's seed: printed on failure, settable to replay one (TOUCHLINE_FC_SEED). */
const SEED = process.env.TOUCHLINE_FC_SEED === undefined ? undefined : Number(process.env.TOUCHLINE_FC_SEED);
// Data starts three days ago, so PostgreSQL's monthly partitions for it exist (migrate creates this month's).
const BASE = Math.floor((Date.now() - 3 * DAY) / MINUTE) * MINUTE + 17_123;

interface Row {
  visitor_id: string;
  id: string;
  started_at: number;
  channel: string | null;
}

// The oracle, written apart from the code under test: each visitor's sessions in path order
// (start, then id by code unit), days by plain division.
const byPath = (a: Row, b: Row): number => a.started_at - b.started_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function pathsOf(rows: readonly Row[]): Row[][] {
  const byVisitor = new Map<string, Row[]>();
  for (const r of rows) byVisitor.set(r.visitor_id, [...(byVisitor.get(r.visitor_id) ?? []), r]);
  return [...byVisitor.values()].map((p) => [...p].sort(byPath));
}

/** What path_steps and path_ends must hold for these sessions, as sorted strings. */
function expectedTables(rows: readonly Row[]): { steps: string[]; ends: string[] } {
  const steps = new Map<string, number>();
  const ends = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  for (const path of pathsOf(rows))
    for (const [i, s] of path.entries()) {
      const prev = path[i - 1];
      const next = path[i + 1];
      const day = Math.floor(s.started_at / DAY);
      bump(
        steps,
        [day, prev ? Math.floor(prev.started_at / DAY) : -1, prev ? (prev.channel ?? '') : '', s.channel ?? ''].join(
          '|',
        ),
      );
      bump(ends, [day, next ? Math.floor(next.started_at / DAY) : -1, s.channel ?? ''].join('|'));
    }
  const list = (m: Map<string, number>): string[] => [...m].map(([k, n]) => `${k}|${n}`).sort();
  return { steps: list(steps), ends: list(ends) };
}

/** Steps of every visitor's path inside [start, to], keyed "from>to" ('^' a path's start, '$' its end, '~' no channel). */
function windowSteps(rows: readonly Row[], start: number, to: number): Map<string, number> {
  const out = new Map<string, number>();
  const add = (k: string, n: number): void => {
    const v = (out.get(k) ?? 0) + n;
    if (v === 0) out.delete(k);
    else out.set(k, v);
  };
  for (const path of pathsOf(rows.filter((r) => r.started_at >= start && r.started_at <= to)))
    for (const [i, s] of path.entries()) {
      add(`${i === 0 ? '^' : (path[i - 1]?.channel ?? '~')}>${s.channel ?? '~'}`, 1);
      if (i === path.length - 1) add(`${s.channel ?? '~'}>$`, 1);
    }
  return out;
}

async function sessionRows(db: TestStorage, accountId: string): Promise<Row[]> {
  const [rows = []] = await rawRowsOf<Row>(db, [
    `SELECT visitor_id, id, started_at, channel FROM sessions WHERE account_key = (SELECT key FROM accounts WHERE id = '${accountId}')`,
  ]);
  return rows.map((r) => ({ ...r, started_at: Number(r.started_at) }));
}

async function storedTables(db: TestStorage, accountId: string): Promise<{ steps: string[]; ends: string[] }> {
  const key = `(SELECT key FROM accounts WHERE id = '${accountId}')`;
  const [steps = [], ends = []] = await rawRowsOf<Record<string, unknown>>(db, [
    `SELECT day, prev_day, prev_channel, channel, sessions FROM path_steps WHERE account_key = ${key}`,
    `SELECT day, next_day, channel, sessions FROM path_ends WHERE account_key = ${key}`,
  ]);
  const list = (rows: Array<Record<string, unknown>>): string[] => rows.map((r) => Object.values(r).join('|')).sort();
  return { steps: list(steps), ends: list(ends) };
}

/** Random windows over the traffic's days and around them, edges anywhere inside a day, lookbacks of hours to days. */
async function expectSameWindowSteps(
  storage: Storage,
  accountId: string,
  rows: readonly Row[],
  seed: number,
  traffic: { from: number; to: number },
): Promise<void> {
  const rand = prng(seed ^ 0x9a7);
  for (let k = 0; k < 6; k++) {
    const a = traffic.from - DAY + Math.floor(rand() * (traffic.to - traffic.from + 2 * DAY));
    const b = traffic.from - DAY + Math.floor(rand() * (traffic.to - traffic.from + 2 * DAY));
    const from = Math.min(a, b);
    const to = Math.max(a, b);
    const lookbackMs = Math.floor(rand() * 2 * DAY);
    const facts = await storage.markovFacts(accountId, { from, to, lookbackMs, maxSessions: 1_000_000 });
    const where = `window [${from}, ${to}] lookback ${lookbackMs}`;
    expect(facts.stepSource, where).toBe('read-model');
    // The steps counted in the database plus the paths of the people sent as sessions: every path.
    const got = windowSteps(
      facts.sessions.map((s) => ({ visitor_id: s.visitorId, id: s.id, started_at: s.startedAt, channel: s.channel })),
      from - lookbackMs,
      to,
    );
    for (const step of facts.steps) {
      const side = (t: { channel: string | null } | null, edge: string): string =>
        t === null ? edge : (t.channel ?? '~');
      const k = `${side(step.from, '^')}>${side(step.to, '$')}`;
      got.set(k, (got.get(k) ?? 0) + step.count);
    }
    expect(got, where).toEqual(windowSteps(rows, from - lookbackMs, to));
  }
}

describe.each(await storageFactories(process.env, import.meta.url))('path steps on $dialect', (factory) => {
  let db: TestStorage;
  let run = 0;
  beforeAll(async () => {
    db = await factory.open();
  });
  afterAll(async () => {
    await db.remove();
  });

  it('equal the stored sessions after any order, batching, replay, aliases and retention, and give every window the raw steps', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const account = await db.storage.ensureAccount(`paths-${run++}`, 1);
        const traffic = generateTraffic(seed, account.id, BASE);
        const rand = prng(seed ^ 0x7e7);
        const retentionAfter = rand() < 0.5 ? Math.floor(rand() * traffic.batches.length) : -1;
        for (const [i, batch] of traffic.batches.entries()) {
          expect(await db.storage.applyProcessed(batch)).toEqual({ kind: 'applied' });
          if (i === retentionAfter) await db.storage.maintain({ now: traffic.to, retentionDays: 1 });
        }
        const rows = await sessionRows(db, account.id);
        expect(rows.length).toBeGreaterThan(0);
        expect(await storedTables(db, account.id)).toEqual(expectedTables(rows));
        await expectSameWindowSteps(db.storage, account.id, rows, seed, traffic);
      }),
      { numRuns: factory.dialect === 'sqlite' ? 30 : 12, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  }, 600_000);

  it('stay exact when every batch is written at once (concurrent passes on PostgreSQL)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const account = await db.storage.ensureAccount(`paths-concurrent-${run++}`, 1);
        const traffic = generateTraffic(seed, account.id, BASE);
        const outcomes = await Promise.all(traffic.batches.map((batch) => db.storage.applyProcessed(batch)));
        expect(outcomes.every((o) => o.kind === 'applied')).toBe(true);
        const rows = await sessionRows(db, account.id);
        expect(await storedTables(db, account.id)).toEqual(expectedTables(rows));
        await expectSameWindowSteps(db.storage, account.id, rows, seed, traffic);
      }),
      { numRuns: 8, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  }, 600_000);
});
