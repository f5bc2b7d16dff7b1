// Whether the collector's storage can keep what ingest acknowledges: a fault reported by a failed write or a probe, cleared by a probe.
import { isStorageFault, type Storage } from '@touchline/storage';
import { createPeriodicJob } from '../workers/periodic-job.js';

export interface StorageFault {
  /** What failed, in words an operator can act on (the storage error's message). */
  reason: string;
  /** Epoch ms of the first failure of this fault. */
  since: number;
}

export interface StorageHealth {
  /** null while storage takes writes; otherwise why not. Ingest answers 503 and /readyz is not ready meanwhile. */
  readonly fault: StorageFault | null;
  /**
   * Notes a failed storage call. Returns true, and holds the fault until a probe passes, when the
   * error is a storage fault (`unavailable`); `busy` and data errors leave the state alone.
   */
  report(error: unknown): boolean;
  /** Runs the probe once now: a pass clears the fault, a failure sets it. */
  check(): Promise<StorageFault | null>;
  /** Probes every `intervalMs` (a deleted database file is noticed within one interval). */
  start(): void;
  stop(): Promise<void>;
}

export interface StorageHealthOptions {
  storage: Pick<Storage, 'probe'>;
  now: () => number;
  intervalMs: number;
  /** Told once when a fault starts and once when it ends (the collector logs both). */
  onChange?: (fault: StorageFault | null) => void;
}

export function createStorageHealth(options: StorageHealthOptions): StorageHealth {
  const { storage, now, intervalMs } = options;
  let fault: StorageFault | null = null;

  function set(next: StorageFault | null): void {
    const changed =
      (fault === null) !== (next === null) || (fault !== null && next !== null && fault.reason !== next.reason);
    fault = next;
    if (changed) options.onChange?.(next);
  }

  function report(error: unknown): boolean {
    if (!isStorageFault(error) || error.code !== 'unavailable') return false;
    set({ reason: error.message, since: fault?.since ?? now() });
    return true;
  }

  async function probe(): Promise<StorageFault | null> {
    try {
      await storage.probe();
      set(null);
    } catch (error) {
      if (!report(error))
        set({ reason: error instanceof Error ? error.message : String(error), since: fault?.since ?? now() });
    }
    return fault;
  }

  // One probe at a time: a slow one (PostgreSQL timing out) is shared, never stacked. probe never throws.
  const job = createPeriodicJob(probe, intervalMs, { onError: () => undefined, atStart: false });

  return {
    get fault() {
      return fault;
    },
    report,
    check: () => job.runNow().then(() => fault),
    start: job.start,
    stop: job.stop,
  };
}
