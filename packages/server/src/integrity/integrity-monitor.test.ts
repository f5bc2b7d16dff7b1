// The monitor's pass with an injected storage fake: one failing account is reported and skipped, the others still evaluated.
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Account, IntegrityFacts, SdkHealthFacts, Storage } from '@touchline/storage';
import { createIntegrityMetrics } from './integrity-metrics.js';
import { createIntegrityMonitor } from './integrity-monitor.js';

const NOW = 1_000_000_000_000;
const window = { sessions: 0, visitors: 0, newVisitorSessions: 0, newVisitors: 0 };
const facts: IntegrityFacts = {
  now: NOW,
  day: window,
  week: window,
  emptySessionsDay: 0,
  selfReferralsWeek: 0,
  extremeVisitorsDay: { count: 0, top: [] },
  heavyVisitorsMonth: { count: 0, visitors: 0 },
  convertersWeek: { converters: 0, sessions: 0 },
  flappingDay: { pairs: 0, visitors: 0 },
  sessionRate: { lastHour: 0, baselineSessions: 0, baselineFrom: null, baselineTo: NOW },
  eventVolume: { last24h: 0, previous24h: 0 },
  sharedLogins: { users: 0, largest: 0, overShared: 0 },
};
const noSdk: SdkHealthFacts = {
  instances: 0,
  delivered: 0,
  retries: 0,
  authFailures: 0,
  dropped: 0,
  navigations: 0,
  botNavigations: 0,
  maxClockSkewMs: 0,
  skewedInstances: 0,
};
const accounts: Account[] = [
  { id: 'a', name: 'first', createdAt: 0 },
  { id: 'b', name: 'broken', createdAt: 0 },
  { id: 'c', name: 'last', createdAt: 0 },
];

function fakeStorage(): Storage {
  const partial: Partial<Storage> = {
    listAccounts: async () => accounts,
    integrityFacts: async (accountId) => {
      if (accountId === 'b') throw new Error('disk on fire');
      return facts;
    },
    sdkHealth: async () => noSdk,
  };
  return partial as Storage;
}

describe('integrity monitor pass', () => {
  it('reports a failing account through onError, keeps going, and counts the pass as an error', async () => {
    const registry = new Registry();
    const errors: Error[] = [];
    const monitor = createIntegrityMonitor({
      storage: fakeStorage(),
      now: () => NOW,
      intervalMs: 60_000,
      metrics: createIntegrityMetrics(registry),
      onError: (e) => errors.push(e),
    });
    await monitor.runPass();
    expect(monitor.latest('a')?.report.state).toBe('ok');
    expect(monitor.latest('b')).toBeUndefined();
    expect(monitor.latest('c')?.account.name).toBe('last');
    expect(errors.map((e) => [(e as { code?: string }).code, e.message])).toEqual([
      ['evaluation_failed', 'integrity monitor: evaluating account "broken" failed: disk on fire'],
    ]);
    expect(await registry.metrics()).toContain('touchline_integrity_passes_total{outcome="error"} 1');
  });

  describe('first pass', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('runs firstPassAfterMs after start, not at start beside the first requests, then every interval', async () => {
      vi.useFakeTimers();
      const registry = new Registry();
      let passes = 0;
      const listAccounts = async (): Promise<Account[]> => {
        passes += 1;
        return accounts.slice(0, 1);
      };
      const monitor = createIntegrityMonitor({
        storage: { ...fakeStorage(), listAccounts },
        now: () => NOW,
        intervalMs: 300_000,
        firstPassAfterMs: 60_000,
        metrics: createIntegrityMetrics(registry),
        onError: () => {},
      });
      monitor.start();
      await vi.advanceTimersByTimeAsync(59_999);
      expect(passes).toBe(0);
      expect(monitor.latest('a')).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(passes).toBe(1);
      expect(monitor.latest('a')?.report.state).toBe('ok');
      await vi.advanceTimersByTimeAsync(300_000);
      expect(passes).toBe(2);
      await monitor.stop();
    });

    it('runs at once without firstPassAfterMs', async () => {
      vi.useFakeTimers();
      let passes = 0;
      const listAccounts = async (): Promise<Account[]> => {
        passes += 1;
        return [];
      };
      const monitor = createIntegrityMonitor({
        storage: { ...fakeStorage(), listAccounts },
        now: () => NOW,
        intervalMs: 300_000,
        metrics: createIntegrityMetrics(new Registry()),
        onError: () => {},
      });
      monitor.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(passes).toBe(1);
      await monitor.stop();
    });
  });
});
