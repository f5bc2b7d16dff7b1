// Slows password guessing: after too many failed sign-ins from one client address, refuse for a while.

export type ThrottleDecision = { kind: 'allow' } | { kind: 'refuse'; retryAfterMs: number };

export interface LoginThrottle {
  /**
   * Counts a sign-in attempt as failed *before* its password is checked, and says whether it may
   * be checked at all. Counting first is what holds against parallel requests: checking a password
   * takes a scrypt derivation, and attempts counted only after it all passed the check at once
   * (60 parallel guesses were all checked; a burst of 30 with the right one last signed in).
   */
  attempt(client: string): ThrottleDecision;
  /** The attempt's password was right: the client's count starts over. */
  recordSuccess(client: string): void;
}

export interface LoginThrottleOptions {
  /** Failures allowed per client inside one window. */
  maxFailures: number;
  windowMs: number;
  now: () => number;
  /** Clients tracked at most (oldest forgotten first), bounding memory under a spray of addresses. */
  maxClients: number;
}

interface Entry {
  failures: number;
  windowStart: number;
}

export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const entries = new Map<string, Entry>();
  const live = (client: string, now: number): Entry | null => {
    const entry = entries.get(client);
    if (entry === undefined) return null;
    if (now - entry.windowStart >= options.windowMs) {
      entries.delete(client);
      return null;
    }
    return entry;
  };
  return {
    attempt(client) {
      const now = options.now();
      const entry = live(client, now);
      if (entry !== null && entry.failures >= options.maxFailures) {
        return { kind: 'refuse', retryAfterMs: entry.windowStart + options.windowMs - now };
      }
      if (entry !== null) {
        entry.failures += 1;
        return { kind: 'allow' };
      }
      if (entries.size >= options.maxClients) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(client, { failures: 1, windowStart: now });
      return { kind: 'allow' };
    },
    recordSuccess(client) {
      entries.delete(client);
    },
  };
}
