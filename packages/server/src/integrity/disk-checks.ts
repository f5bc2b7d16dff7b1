// Disk checks (DESIGN.md L13): the SQLite WAL against its bound and the free disk against a margin, as integrity check results.
import type { DiskUsage } from '@touchline/storage';
import { classify, worstState, type CheckResult, type IntegrityReport, type Thresholds } from './integrity-report.js';

export interface DiskLimits {
  walLimitBytes: number;
  minFreeBytes: number;
}

const MIB = 1024 * 1024;

function result(base: Omit<CheckResult, 'state' | 'note'>, note: string | null): CheckResult {
  const state = base.value === null ? 'ok' : classify(base.value, base.thresholds);
  return { ...base, state, note };
}

function walCheck(usage: DiskUsage, limits: DiskLimits): CheckResult {
  const limit = usage.walLimitBytes ?? limits.walLimitBytes;
  const thresholds: Thresholds = { above: { warn: 50, alert: 100 } };
  const value = usage.walBytes === null ? null : Math.round((usage.walBytes / limit) * 1000) / 10;
  const checkpoints = usage.checkpoints;
  const detail =
    checkpoints === null
      ? ''
      : `; checkpoints: ${checkpoints.complete} complete, ${checkpoints.busy} busy (${checkpoints.busyStreak} in a row), ` +
        `longest write-lock hold ${Math.round(checkpoints.maxHoldMs)} ms`;
  return result(
    {
      id: 'wal_size',
      title: 'write-ahead log size',
      unit: '%',
      window: 'now',
      thresholds,
      value,
      explanation:
        'The SQLite write-ahead log as a share of its bound. The checkpointer truncates it from a quarter of the bound; ' +
        'it grows past half only while a read transaction holds an old snapshot for long, and at the bound writes wait ' +
        '(ingest answers 503 + Retry-After) until that reader ends. Look for long-running queries or tools holding the database open.',
    },
    usage.walBytes === null
      ? 'not applicable: the database server keeps its own log'
      : `${(usage.walBytes / MIB).toFixed(1)} MiB of ${(limit / MIB).toFixed(0)} MiB${detail}`,
  );
}

function freeDiskCheck(usage: DiskUsage, limits: DiskLimits): CheckResult {
  const margin = limits.minFreeBytes / MIB;
  const thresholds: Thresholds = { below: { warn: margin, alert: margin / 4 } };
  const value = usage.freeBytes === null ? null : Math.floor(usage.freeBytes / MIB);
  return result(
    {
      id: 'free_disk',
      title: 'free disk (MiB)',
      unit: 'count',
      window: 'now',
      thresholds,
      value,
      explanation:
        'Free space on the file system that holds the database. The database grows with the data kept ' +
        '(see retentionDays); the write-ahead log needs its bound on top. A full disk stops ingest.',
    },
    usage.freeBytes === null ? 'not applicable: the database lives on its server' : null,
  );
}

/** The disk checks at one instant, as a report the doctor and the monitor show beside the accounts'. */
export function evaluateDisk(usage: DiskUsage, limits: DiskLimits, now: number): IntegrityReport {
  const checks = [walCheck(usage, limits), freeDiskCheck(usage, limits)];
  return { state: worstState(checks.map((c) => c.state)), checkedAt: now, checks };
}
