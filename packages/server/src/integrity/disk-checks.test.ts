// The disk checks classify the WAL against its bound and the free disk against its margin.
import { describe, expect, it } from 'vitest';
import type { DiskUsage } from '@touchline/storage';
import { evaluateDisk } from './disk-checks.js';

const MIB = 1024 * 1024;
const limits = { walLimitBytes: 64 * MIB, minFreeBytes: 1024 * MIB };
const usage = (walMib: number | null, freeMib: number | null): DiskUsage => ({
  databaseBytes: 10 * MIB,
  walBytes: walMib === null ? null : walMib * MIB,
  walLimitBytes: walMib === null ? null : 64 * MIB,
  freeBytes: freeMib === null ? null : freeMib * MIB,
  checkpoints: null,
});

describe('evaluateDisk', () => {
  it.each([
    [0, 50_000, 'ok', 'ok'],
    [31, 50_000, 'ok', 'ok'],
    [32, 50_000, 'warn', 'ok'],
    [64, 50_000, 'alert', 'ok'],
    [1, 1000, 'ok', 'warn'],
    [1, 200, 'ok', 'alert'],
  ] as const)('WAL %i MiB, free %i MiB -> %s / %s', (wal, free, walState, freeState) => {
    const report = evaluateDisk(usage(wal, free), limits, 1);
    expect(report.checks.map((c) => [c.id, c.state])).toEqual([
      ['wal_size', walState],
      ['free_disk', freeState],
    ]);
  });

  it('says not applicable where the dialect cannot know (PostgreSQL)', () => {
    const report = evaluateDisk(usage(null, null), limits, 1);
    expect(report.state).toBe('ok');
    expect(report.checks.every((c) => c.value === null && /not applicable/.test(c.note ?? ''))).toBe(true);
  });
});
