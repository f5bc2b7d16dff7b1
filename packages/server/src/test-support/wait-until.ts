// Test support: waits on a condition instead of a fixed sleep, so tests do not depend on CPU timing.

/**
 * Polls `check` every `everyMs` until it returns a value other than undefined/false, and returns it.
 * The deadline is generous on purpose (a loaded 2-core machine): it bounds a broken test, never paces a good one.
 */
export async function waitUntil<T>(
  what: string,
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; everyMs?: number } = {},
): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting until ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 50));
  }
}
