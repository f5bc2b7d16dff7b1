// Reads the collector's rate limits from the environment of `touchline serve`: TOUCHLINE_RATE_LIMIT_KEY / _IP = "RATE[/BURST]", TOUCHLINE_RATE_LIMIT=off.
import type { ServerSettingsInput } from '@touchline/server';
import { UsageError } from '../cli-io.js';

type RateLimitInput = NonNullable<ServerSettingsInput['rateLimit']>;

function bucketFrom(name: string, value: string): { ratePerSecond: number; burst: number } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+)\s*)?$/.exec(value);
  const rate = Number(m?.[1]);
  const burst = m?.[2] === undefined ? Math.max(1, Math.ceil(rate)) : Number(m[2]);
  if (m === null || !(rate > 0) || !(burst >= 1)) {
    throw new UsageError(
      `serve: ${name} must be REQUESTS_PER_SECOND or REQUESTS_PER_SECOND/BURST (e.g. 200/400), got "${value}"`,
    );
  }
  return { ratePerSecond: rate, burst };
}

/** Only the variables that are set; the collector's settings hold the defaults. */
export function rateLimitFromEnv(env: Record<string, string | undefined>): RateLimitInput | undefined {
  const { TOUCHLINE_RATE_LIMIT: toggle, TOUCHLINE_RATE_LIMIT_KEY: perKey, TOUCHLINE_RATE_LIMIT_IP: perIp } = env;
  if (toggle !== undefined && toggle !== 'off' && toggle !== 'on') {
    throw new UsageError(`serve: TOUCHLINE_RATE_LIMIT must be "on" or "off", got "${toggle}"`);
  }
  const input: RateLimitInput = {
    ...(toggle === undefined ? {} : { enabled: toggle === 'on' }),
    ...(perKey === undefined ? {} : { perKey: bucketFrom('TOUCHLINE_RATE_LIMIT_KEY', perKey) }),
    ...(perIp === undefined ? {} : { perIp: bucketFrom('TOUCHLINE_RATE_LIMIT_IP', perIp) }),
  };
  return Object.keys(input).length === 0 ? undefined : input;
}
