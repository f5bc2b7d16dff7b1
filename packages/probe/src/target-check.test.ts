// Which hosts the probe agrees to load: loopback by default, others only when named.
import { err } from '@touchline/core';
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
    expect(checkTarget(url).kind).toBe('ok');
  });

  it.each([
    'http://10.0.0.1/',
    'http://example.com/',
    'http://128.0.0.1/',
    'http://[::2]/',
    'http://localhost.example.com/',
  ])('refuses %s and says why', (url) => {
    const result = checkTarget(url);
    expect(result.kind).toBe('err');
    if (result.kind === 'err') expect(result.error).toMatch(/not a loopback address.*--allow-host/);
  });

  it('accepts a non-loopback host only when it is named exactly', () => {
    expect(checkTarget('http://staging.internal:8080/', ['staging.internal']).kind).toBe('ok');
    expect(checkTarget('http://[fd00::1]/', ['[FD00::1]']).kind).toBe('ok');
    expect(checkTarget('http://other.internal/', ['staging.internal']).kind).toBe('err');
  });

  it('rejects what is not an absolute http(s) URL', () => {
    expect(checkTarget('127.0.0.1:3000')).toEqual(err(expect.stringMatching(/not an absolute URL/)));
    expect(checkTarget('ftp://127.0.0.1/')).toEqual(err('"ftp://127.0.0.1/" is not an http(s) URL'));
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
