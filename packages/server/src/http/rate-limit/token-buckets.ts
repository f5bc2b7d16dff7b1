// Token buckets keyed by a string (an API key id, a client IP): a bounded table, pure apart from the injected clock.

export interface BucketLimits {
  /** Tokens added per second (sustained requests per second). */
  ratePerSecond: number;
  /** Bucket size: requests allowed in a burst from a full bucket. */
  burst: number;
}

export type TakeResult = { kind: 'allowed'; remaining: number } | { kind: 'limited'; retryAfterMs: number };

export interface TokenBuckets {
  /** Takes one token from `key`'s bucket, or says how long until one is available. */
  take(key: string): TakeResult;
  /** Buckets currently tracked (never more than maxEntries). */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export const allowed = (remaining: number): TakeResult => ({ kind: 'allowed', remaining });
export const limited = (retryAfterMs: number): TakeResult => ({ kind: 'limited', retryAfterMs });

/**
 * Why bounded: the key is attacker-chosen for IPs (think of a /64 of IPv6 addresses), so the table
 * must not grow without limit. A bucket that has refilled to `burst` is the same as no bucket, so
 * those are evicted first; if that frees nothing, the oldest inserted tenth goes (they start full
 * again, which only ever errs on the side of letting a request through).
 */
export function createTokenBuckets(
  limits: BucketLimits,
  options: { now: () => number; maxEntries: number },
): TokenBuckets {
  const { ratePerSecond, burst } = limits;
  const buckets = new Map<string, Bucket>();
  const perMs = ratePerSecond / 1000;

  const level = (b: Bucket, t: number): number => Math.min(burst, b.tokens + Math.max(0, t - b.at) * perMs);

  /** One sweep frees refilled buckets; if that is not enough, the oldest tenth goes, so sweeps stay rare. */
  const makeRoom = (t: number): void => {
    for (const [key, b] of buckets) if (level(b, t) >= burst) buckets.delete(key);
    if (buckets.size < options.maxEntries) return;
    let drop = Math.max(1, Math.floor(options.maxEntries / 10));
    for (const key of buckets.keys()) {
      if (drop-- <= 0) break;
      buckets.delete(key);
    }
  };

  return {
    take(key) {
      const t = options.now();
      let b = buckets.get(key);
      if (b === undefined) {
        if (buckets.size >= options.maxEntries) makeRoom(t);
        b = { tokens: burst, at: t };
        buckets.set(key, b);
      }
      const tokens = level(b, t);
      b.at = t;
      if (tokens >= 1) {
        b.tokens = tokens - 1;
        return allowed(Math.floor(b.tokens));
      }
      b.tokens = tokens;
      return limited(Math.ceil((1 - tokens) / perMs));
    },
    get size() {
      return buckets.size;
    },
  };
}
