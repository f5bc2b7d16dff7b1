// Rate limits from the environment: RATE[/BURST], on/off, and a usage error naming the variable otherwise.
import { describe, expect, it } from 'vitest';
import { rateLimitFromEnv } from './rate-limit-env.js';

describe('rateLimitFromEnv', () => {
  it('leaves the defaults alone when nothing is set', () => {
    expect(rateLimitFromEnv({})).toBeUndefined();
  });

  it('reads RATE/BURST, RATE alone (burst = rate) and the switch', () => {
    expect(
      rateLimitFromEnv({
        TOUCHLINE_RATE_LIMIT_KEY: '200/400',
        TOUCHLINE_RATE_LIMIT_IP: '2.5',
        TOUCHLINE_RATE_LIMIT: 'on',
      }),
    ).toEqual({
      enabled: true,
      perKey: { ratePerSecond: 200, burst: 400 },
      perIp: { ratePerSecond: 2.5, burst: 3 },
    });
    expect(rateLimitFromEnv({ TOUCHLINE_RATE_LIMIT: 'off' })).toEqual({ enabled: false });
  });

  it('names the variable and the expected form when a value is wrong', () => {
    expect(() => rateLimitFromEnv({ TOUCHLINE_RATE_LIMIT_KEY: 'fast' })).toThrowError(
      /TOUCHLINE_RATE_LIMIT_KEY must be REQUESTS_PER_SECOND.*got "fast"/,
    );
    expect(() => rateLimitFromEnv({ TOUCHLINE_RATE_LIMIT_IP: '0' })).toThrowError(/TOUCHLINE_RATE_LIMIT_IP/);
    expect(() => rateLimitFromEnv({ TOUCHLINE_RATE_LIMIT: 'no' })).toThrowError(/"on" or "off"/);
  });
});
