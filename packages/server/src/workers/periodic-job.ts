// The one background runner: a job run now and then every interval, never two runs at once, never keeping the process alive.

export interface PeriodicJob {
  /** Starts the timer (with a run at once unless `atStart: false`); a no-op while started. */
  start(): void;
  /** A run now; a call during a run joins it instead of starting another. Never rejects (failures go to `onError`). */
  runNow(): Promise<void>;
  /** Stops the timer and waits for a run in progress (told to end early through its `stopping`). */
  stop(): Promise<void>;
}

export interface PeriodicJobOptions {
  /** Told of each failed run; the job goes on and runs again next interval. */
  onError: (error: Error) => void;
  /** Whether `start` runs the job at once (default) or first after one interval. */
  atStart?: boolean;
  /**
   * The first run this long after `start` instead (then one every interval after it ended): for a
   * job that should not compete with what a process does, and is asked, right after it starts.
   */
  firstRunAfterMs?: number;
}

/**
 * The next run starts `intervalMs` after the previous one ended, so a run longer than the interval
 * delays the next instead of stacking on it. `run` gets `stopping`, true once `stop` was called: a
 * run made of bounded steps ends after its current step. The timer is unref'd: a job never keeps a
 * process alive on its own.
 */
export function createPeriodicJob(
  run: (stopping: () => boolean) => Promise<unknown>,
  intervalMs: number,
  options: PeriodicJobOptions,
): PeriodicJob {
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let started = false;
  // Set by `stop`, cleared by `start`: a run called through runNow before any start is not stopping.
  let stopped = false;
  const stopping = (): boolean => stopped;

  // Called synchronously, so a run that starts at once has begun when `start` returns.
  function attempt(): Promise<unknown> {
    try {
      return run(stopping);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  function runNow(): Promise<void> {
    running ??= attempt()
      .then(
        () => undefined,
        (error: unknown) => {
          options.onError(error instanceof Error ? error : new Error(String(error)));
        },
      )
      .finally(() => {
        running = null;
      });
    return running;
  }

  function schedule(delayMs: number = intervalMs): void {
    if (!started || timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      void runNow().finally(() => schedule());
    }, delayMs);
    timer.unref();
  }

  return {
    start() {
      if (started) return;
      started = true;
      stopped = false;
      if (options.firstRunAfterMs !== undefined) schedule(options.firstRunAfterMs);
      else if (options.atStart === false) schedule();
      else void runNow().finally(() => schedule());
    },
    runNow,
    async stop() {
      started = false;
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

/** `createPeriodicJob` already started: a run at once (unless `atStart: false`), then one every interval. */
export function startPeriodicJob(
  run: (stopping: () => boolean) => Promise<unknown>,
  intervalMs: number,
  options: PeriodicJobOptions,
): PeriodicJob {
  const job = createPeriodicJob(run, intervalMs, options);
  job.start();
  return job;
}
