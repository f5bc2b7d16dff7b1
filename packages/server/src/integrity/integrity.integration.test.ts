// Synthetic traffic with each known defect, through the inbox and the real worker into SQLite and PostgreSQL: the right check fires, clean traffic raises none.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, Storage } from '@touchline/storage';
import { storageFactories, type TestStorage } from '../../../storage/src/test-support/storage-factories.js';
import { evaluateIntegrity } from './evaluate-integrity.js';
import type { IntegrityReport } from './integrity-report.js';
import { cleanTraffic, DAY, HOUR, ingest, type SyntheticSession } from './test-support/synthetic-traffic.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');

describe.each(await storageFactories(process.env, import.meta.url))('$dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  let account: Account;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
    account = await storage.ensureAccount('shop', NOW - 30 * DAY);
  });
  afterEach(async () => {
    await db.remove();
  });

  async function reportFor(sessions: readonly SyntheticSession[]): Promise<IntegrityReport> {
    await ingest(storage, account.id, sessions, NOW);
    return evaluateIntegrity(await storage.integrityFacts(account.id, NOW));
  }

  const check = (report: IntegrityReport, id: string) => {
    const found = report.checks.find((c) => c.id === id);
    if (found === undefined) throw new Error(`no check ${id}`);
    return found;
  };
  const firing = (report: IntegrityReport) =>
    report.checks
      .filter((c) => c.state !== 'ok')
      .map((c) => c.id)
      .sort();

  /** `count` sessions of one visitor, evenly spread over the `spanMs` before NOW. */
  function sessionsOf(visitorId: string, count: number, spanMs: number): SyntheticSession[] {
    return Array.from({ length: count }, (_, i) => ({
      visitorId,
      startedAt: Math.round(NOW - spanMs + (i + 0.5) * (spanMs / count)),
    }));
  }

  describe('integrity checks over the real pipeline', () => {
    it('raises nothing for clean traffic (1-2 sessions per visitor over a week), and every check has enough data to judge', async () => {
      const report = await reportFor(cleanTraffic(NOW));
      expect(firing(report)).toEqual([]);
      expect(report.state).toBe('ok');
      expect(report.checks.filter((c) => c.note === 'not enough data')).toEqual([]);
      expect(check(report, 'session-inflation').value).toBeCloseTo(700 / 584, 2);
      expect(check(report, 'self-referral').value).toBeCloseTo(5, 0);
      expect(check(report, 'event-volume').value).toBeCloseTo(0, 0);
    });

    it('L1 cookie leak: visitor ids shared by many browsers (one with 400 sessions in 24 h) fire extreme-visitors and session-inflation, not flapping', async () => {
      const big = randomUUID();
      const leaked = [
        ...sessionsOf(big, 400, 20 * HOUR),
        ...Array.from({ length: 9 }, () => sessionsOf(randomUUID(), 20, 20 * HOUR)).flat(),
      ];
      const report = await reportFor([...cleanTraffic(NOW), ...leaked]);
      const extreme = check(report, 'extreme-visitors');
      expect(extreme.state).toBe('alert');
      expect(extreme.note).toContain(`${big} (400)`);
      expect(check(report, 'session-inflation').state).toBe('warn');
      expect(check(report, 'flapping').state).toBe('ok');
      expect(report.state).toBe('alert');
    });

    it('L2 flapping: sessions of one visitor started 200 ms apart fire flapping (any: warn; 1% of sessions: alert)', async () => {
      const flap = (visitorId: string, at: number): SyntheticSession[] =>
        [0, 200, 400].map((d) => ({ visitorId, startedAt: at + d }));
      const one = await reportFor([...cleanTraffic(NOW), ...flap(randomUUID(), NOW - 3 * HOUR).slice(0, 2)]);
      expect(firing(one)).toEqual(['flapping']);
      expect(check(one, 'flapping')).toMatchObject({ state: 'warn', note: '1 pair(s) across 1 visitor(s)' });

      const many = Array.from({ length: 20 }, (_, i) => flap(randomUUID(), NOW - (i + 1) * HOUR)).flat();
      const report = await reportFor(many);
      expect(check(report, 'flapping')).toMatchObject({ state: 'alert', note: '41 pair(s) across 21 visitor(s)' });
      expect(check(report, 'extreme-visitors').state).toBe('ok');
    });

    it('a shared login: one user id signed in on 150 visitors warns, on 1,001 (past the journey bound) alerts, unnamed', async () => {
      const login = (visitors: number): SyntheticSession[] =>
        Array.from({ length: visitors }, (_, i) => ({
          visitorId: randomUUID(),
          // Spread over the week as the clean traffic is, so the event volume stays even.
          startedAt: Math.round(NOW - 7 * DAY + (i + 0.25) * ((7 * DAY) / visitors)),
          userId: 'guest@shop.example',
        }));
      const some = await reportFor([...cleanTraffic(NOW), ...login(150)]);
      expect(firing(some)).toEqual(['shared-logins']);
      expect(check(some, 'shared-logins')).toMatchObject({ state: 'warn', value: 150 });
      expect(check(some, 'shared-logins').note).not.toContain('guest@shop.example');
      const more = await reportFor(login(851));
      expect(check(more, 'shared-logins')).toMatchObject({ state: 'alert', value: 1001 });
    });

    it('5x visit inflation: every visitor with 5 sessions in a week fires session-inflation as an alert', async () => {
      const inflated = Array.from({ length: 150 }, (_, v) => {
        const visitorId = randomUUID();
        // Five sessions a visitor, a day and a bit apart, staggered so the hourly rate stays even.
        return Array.from({ length: 5 }, (_, i) => ({
          visitorId,
          startedAt: Math.round(NOW - 7 * DAY + v * (DAY / 150) + i * 1.3 * DAY),
          converts: i === 4,
        }));
      }).flat();
      const report = await reportFor(inflated);
      expect(check(report, 'session-inflation')).toMatchObject({ value: 5, state: 'alert' });
      expect(check(report, 'sessions-per-converter')).toMatchObject({ value: 5, state: 'warn' });
      expect(check(report, 'extreme-visitors').state).toBe('ok');
      expect(check(report, 'flapping').state).toBe('ok');
      expect(report.state).toBe('alert');
    });
  });
});
