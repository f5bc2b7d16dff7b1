// The monitor's disk watch: evaluates the disk checks, exports their states and reports a check that leaves `ok` (DESIGN.md L13).
import type { Storage } from '@touchline/storage';
import type { Gauge } from 'prom-client';
import { evaluateDisk, type DiskLimits } from './disk-checks.js';
import { IntegrityError } from './integrity-error.js';
import { STATE_VALUE } from './integrity-metrics.js';
import type { IntegrityReport } from './integrity-report.js';

export interface DiskWatch {
  /** Reads the disk usage and evaluates the checks; a check that got worse is reported through onError. */
  check(): Promise<IntegrityReport>;
  latest(): IntegrityReport | undefined;
}

export function createDiskWatch(deps: {
  storage: Storage;
  limits: DiskLimits;
  now: () => number;
  state: Gauge<'check'>;
  onError: (error: Error) => void;
}): DiskWatch {
  let latest: IntegrityReport | undefined;
  return {
    async check() {
      const report = evaluateDisk(await deps.storage.diskUsage(), deps.limits, deps.now());
      for (const c of report.checks) {
        deps.state.set({ check: c.id }, STATE_VALUE[c.state]);
        const before = latest?.checks.find((p) => p.id === c.id)?.state ?? 'ok';
        if (STATE_VALUE[c.state] > STATE_VALUE[before]) {
          deps.onError(
            new IntegrityError(
              'disk_warning',
              `disk check "${c.title}" is ${c.state}: ${c.note ?? c.value}. ${c.explanation}`,
            ),
          );
        }
      }
      latest = report;
      return report;
    },
    latest: () => latest,
  };
}
