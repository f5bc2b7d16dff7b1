// The rate-limit decision for one /api/* request, framework-neutral (pure apart from the clock; the fastify hook applies it).
import type { ApiKeyRecord } from '@touchline/storage';
import { Counter, type Registry } from 'prom-client';
import type { ServerSettings } from '../../server-settings.js';
import { createTokenBuckets } from './token-buckets.js';

export interface RateLimitDeps {
  settings: ServerSettings['rateLimit'];
  registry: Registry;
  now: () => number;
}

/** Why a request is refused with 429: the limit that refused it, the message and the Retry-After seconds. */
export interface RateLimitRefusal {
  limit: 'ip' | 'key';
  message: string;
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /**
   * Takes a token from the client IP's bucket, then (for a known key) from the key's bucket; the
   * refusal, or null to let the request through. `key` is the request's active key or null.
   */
  check(ip: string, key: ApiKeyRecord | null): RateLimitRefusal | null;
}

/**
 * Null when rate limiting is off. The IP bucket comes first and catches anyone, including senders
 * of unknown keys (which get no bucket of their own, so random keys cannot grow the table); the key
 * bucket keeps one busy tenant from starving the others behind a shared proxy address.
 */
export function createRateLimiter(deps: RateLimitDeps): RateLimiter | null {
  const { settings } = deps;
  if (!settings.enabled) return null;
  const limitedTotal = new Counter({
    name: 'touchline_rate_limited_total',
    help: 'Requests refused with 429, by the limit that refused them',
    labelNames: ['limit'] as const,
    registers: [deps.registry],
  });
  const table = { now: deps.now, maxEntries: settings.maxTracked };
  const byIp = createTokenBuckets(settings.perIp, table);
  const byKey = createTokenBuckets(settings.perKey, table);

  const refuse = (limit: 'ip' | 'key', what: string, retryAfterMs: number, perSecond: number): RateLimitRefusal => {
    limitedTotal.inc({ limit });
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return {
      limit,
      retryAfterSeconds: seconds,
      message: `too many requests for ${what} (limit ${perSecond}/s per ${limit}); retry after ${seconds} s`,
    };
  };

  return {
    check(ip, key) {
      const byAddress = byIp.take(ip);
      if (byAddress.kind === 'limited')
        return refuse('ip', `client ${ip}`, byAddress.retryAfterMs, settings.perIp.ratePerSecond);
      if (key === null) return null;
      const taken = byKey.take(key.id);
      return taken.kind === 'limited'
        ? refuse('key', `API key ${key.prefix}…`, taken.retryAfterMs, settings.perKey.ratePerSecond)
        : null;
    },
  };
}
