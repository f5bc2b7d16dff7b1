// createIntegrityMonitor: evaluates every account's integrity checks on a timer, outside the request path, and keeps the latest reports.
import type { Account, Storage } from '@touchline/storage';
import type { ReadPool } from '../reads/read-pool.js';
import { createPeriodicJob } from '../workers/periodic-job.js';
import { evaluateIntegrity } from './evaluate-integrity.js';
import type { DiskWatch } from './disk-watch.js';
import { gatherIntegrityFacts } from './gather-integrity-facts.js';
import { IntegrityError } from './integrity-error.js';
import { STATE_VALUE, type IntegrityMetrics } from './integrity-metrics.js';
import type { CheckResult, IntegrityReport } from './integrity-report.js';
import { integrityTransitions, type IntegrityTransition } from './integrity-transitions.js';

export interface AccountIntegrity {
  account: Account;
  report: IntegrityReport;
}

export interface IntegrityMonitorDeps {
  storage: Storage;
  /** Where the checks' queries run (the collector's read threads); without it, on `storage` inline. */
  reads?: ReadPool;
  now: () => number;
  intervalMs: number;
  /**
   * The first pass this long after `start` (default 0: at once). The collector sets it (settings
   * integrity.firstPassAfterMs) so the first pass does not run beside the first requests after a start.
   */
  firstPassAfterMs?: number;
  metrics: IntegrityMetrics;
  onError: (error: Error) => void;
  /** Awaited before each pass (e.g. writing buffered SDK health reports, so the pass sees them). */
  beforePass?: () => Promise<void>;
  /** Evaluated at the end of every pass (DESIGN.md L13). */
  disk?: DiskWatch;
  /** Called after each account's evaluation with the checks that entered or left alert (often none). */
  onTransitions?: (account: Account, transitions: IntegrityTransition[], report: IntegrityReport) => void;
}

export interface IntegrityMonitor {
  /** Runs a first pass firstPassAfterMs from now (at once without it), then one every intervalMs after the previous one ended. */
  start(): void;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
  /** One pass over every account; a call during a pass joins it instead of starting another. */
  runPass(): Promise<void>;
  /** The latest report of an account from a pass, if any. */
  latest(accountId: string): AccountIntegrity | undefined;
  /** The latest disk checks from a pass, if a disk watch is set and a pass has run. */
  latestDisk(): IntegrityReport | undefined;
  /** Evaluates one account now, without recording it (for an account no pass has reached yet). */
  evaluate(accountId: string, signal?: AbortSignal): Promise<IntegrityReport>;
}

/**
 * Accounts are evaluated one after the other, each from one read snapshot, so a pass costs one
 * account's queries at a time and never overlaps the next pass. A failing account is reported
 * through onError and the pass moves on; the previous report of that account is kept.
 */
export function createIntegrityMonitor(deps: IntegrityMonitorDeps): IntegrityMonitor {
  const latest = new Map<string, AccountIntegrity>();

  function facts(accountId: string, options: { internal?: boolean; signal?: AbortSignal }) {
    const now = deps.now();
    return deps.reads === undefined
      ? gatherIntegrityFacts(deps.storage, accountId, now)
      : deps.reads.run('integrityFacts', [accountId, now], options);
  }

  /**
   * The transitions this collector announces: those whose row in the database's alert states it
   * inserted or deleted (claim-alert-transitions.ts), so a restart re-announces nothing and several
   * collectors sharing the database announce each once. If the claim cannot be written, the
   * transitions against this process's previous report are announced, as before the table existed.
   */
  async function claimedTransitions(
    account: Account,
    previous: IntegrityReport | undefined,
    report: IntegrityReport,
  ): Promise<IntegrityTransition[]> {
    const alerting = report.checks.filter((c) => c.state === 'alert').map((c) => c.id);
    const calm = report.checks.filter((c) => c.state !== 'alert').map((c) => c.id);
    let claims: { entered: string[]; recovered: string[] };
    try {
      claims = await deps.storage.claimAlertTransitions(account.id, { alerting, calm, now: deps.now() });
    } catch (error) {
      deps.onError(
        new IntegrityError(
          'evaluation_failed',
          `integrity monitor: recording the alert states of account "${account.name}" failed, ` +
            `announcing against this process's last report: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        ),
      );
      return integrityTransitions(previous, report);
    }
    const before = new Map((previous?.checks ?? []).map((c) => [c.id, c.state]));
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    return [
      ...claims.entered.map((id) => ({
        kind: 'alert' as const,
        check: byId.get(id) as CheckResult,
        previousState: before.get(id) === 'warn' ? ('warn' as const) : ('ok' as const),
      })),
      ...claims.recovered.map((id) => ({
        kind: 'recovered' as const,
        check: byId.get(id) as CheckResult,
        previousState: 'alert' as const,
      })),
    ];
  }

  async function evaluateAccount(account: Account): Promise<boolean> {
    try {
      const report = evaluateIntegrity(await facts(account.id, { internal: true }));
      const previous = latest.get(account.id)?.report;
      latest.set(account.id, { account, report });
      for (const check of report.checks)
        deps.metrics.state.set({ account: account.name, check: check.id }, STATE_VALUE[check.state]);
      if (deps.onTransitions !== undefined)
        deps.onTransitions(account, await claimedTransitions(account, previous, report), report);
      return true;
    } catch (error) {
      deps.onError(
        new IntegrityError(
          'evaluation_failed',
          `integrity monitor: evaluating account "${account.name}" failed: ` +
            `${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        ),
      );
      return false;
    }
  }

  async function pass(closing: () => boolean): Promise<void> {
    let failures = 0;
    try {
      await deps.beforePass?.();
      for (const account of await deps.storage.listAccounts()) {
        // Closing: leave the remaining accounts to the next collector run.
        if (closing()) break;
        if (!(await evaluateAccount(account))) failures += 1;
      }
    } catch (error) {
      failures += 1;
      deps.onError(
        new IntegrityError(
          'evaluation_failed',
          `integrity monitor: listing accounts failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        ),
      );
    }
    try {
      await deps.disk?.check();
    } catch (error) {
      failures += 1;
      deps.onError(
        new IntegrityError(
          'evaluation_failed',
          `integrity monitor: reading disk usage failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        ),
      );
    }
    deps.metrics.passes.inc({ outcome: failures === 0 ? 'ok' : 'error' });
  }

  // The monitor must never keep a process alive on its own (the job's timer is unref'd).
  const job = createPeriodicJob(pass, deps.intervalMs, {
    onError: deps.onError,
    ...(deps.firstPassAfterMs ? { firstRunAfterMs: deps.firstPassAfterMs } : {}),
  });

  return {
    start: job.start,
    stop: job.stop,
    runPass: job.runNow,
    latest: (accountId) => latest.get(accountId),
    latestDisk: () => deps.disk?.latest(),
    async evaluate(accountId, signal) {
      return evaluateIntegrity(await facts(accountId, { signal }));
    },
  };
}
