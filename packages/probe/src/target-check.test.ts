// Which hosts the probe agrees to load: loopback by default, others only when named.
import { describe, expect, it } from 'vitest';
import { checkTarget, isLoopbackHost } from './target-check.js';

describe('checkTarget', () => {
  it.each([
    'http://127.0.0.1:3000/',
    'http://127.8.9.10/',
    'http://localhost:8080/app',
    'http://[::1]:3000/',
    'http://127.1/',
    'https://LOCALHOST/',
  ])('accepts loopback %s', (url) => {
    expect(checkTarget(url).ok).toBe(true);
  });

  it.each([
    'http://10.0.0.1/',
    'http://example.com/',
    'http://128.0.0.1/',
    'http://[::2]/',
    'http://localhost.example.com/',
  ])('refuses %s and says why', (url) => {
    const result = checkTarget(url);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/not a loopback address.*--allow-host/);
  });

  it('accepts a non-loopback host only when it is named exactly', () => {
    expect(checkTarget('http://staging.internal:8080/', ['staging.internal']).ok).toBe(true);
    expect(checkTarget('http://[fd00::1]/', ['[FD00::1]']).ok).toBe(true);
    expect(checkTarget('http://other.internal/', ['staging.internal']).ok).toBe(false);
  });

  it('rejects what is not an absolute http(s) URL', () => {
    expect(checkTarget('127.0.0.1:3000')).toMatchObject({ ok: false });
    expect(checkTarget('ftp://127.0.0.1/')).toEqual({ ok: false, reason: '"ftp://127.0.0.1/" is not an http(s) URL' });
  });

  it('isLoopbackHost knows the three forms', () => {
    expect([isLoopbackHost('localhost'), isLoopbackHost('::1'), isLoopbackHost('127.255.0.1')]).toEqual([
      true,
      true,
      true,
    ]);
    expect(isLoopbackHost('1127.0.0.1')).toBe(false);
  });
});
